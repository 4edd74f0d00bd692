using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlfBlazor.Store.Migrations;

/// <summary>
/// Missed calls and users' last calls. Written by hand, without column types: each provider maps
/// <c>string</c> and <c>long</c> itself, so SQLite and PostgreSQL run the same migration (docs/architecture.md).
/// </summary>
[DbContext(typeof(BlfStore))]
[Migration("20261207080000_MissedCalls")]
internal sealed class MissedCalls : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "MissedCalls",
            columns: table => new
            {
                UserGuid = table.Column<string>(maxLength: BlfStore.GuidLength, nullable: false),
                CallKey = table.Column<string>(maxLength: BlfStore.CallKeyLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
                RangMs = table.Column<long>(nullable: false),
                PeerName = table.Column<string>(maxLength: BlfStore.PeerLength, nullable: true),
                PeerNumber = table.Column<string>(maxLength: BlfStore.PeerLength, nullable: true),
                PeerInternal = table.Column<bool>(nullable: false),
                Outcome = table.Column<string>(maxLength: BlfStore.OutcomeLength, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_MissedCalls", x => new { x.UserGuid, x.CallKey }));

        migrationBuilder.CreateIndex(name: "IX_MissedCalls_AtUnixMs", table: "MissedCalls", column: "AtUnixMs");

        migrationBuilder.CreateTable(
            name: "LastCalls",
            columns: table => new
            {
                UserGuid = table.Column<string>(maxLength: BlfStore.GuidLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_LastCalls", x => x.UserGuid));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "LastCalls");
        migrationBuilder.DropTable(name: "MissedCalls");
    }
}
