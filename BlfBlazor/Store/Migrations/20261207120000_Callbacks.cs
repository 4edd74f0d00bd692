using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlfBlazor.Store.Migrations;

/// <summary>
/// Callbacks: messages operators take for colleagues. Written by hand, without column types, like
/// <see cref="MissedCalls"/>: SQLite and PostgreSQL run the same migration.
/// </summary>
[DbContext(typeof(BlfStore))]
[Migration("20261207120000_Callbacks")]
internal sealed class Callbacks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Callbacks",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: BlfStore.GuidLength, nullable: false),
                UserGuid = table.Column<string>(maxLength: BlfStore.GuidLength, nullable: false),
                CallerName = table.Column<string>(maxLength: BlfStore.PeerLength, nullable: true),
                CallerNumber = table.Column<string>(maxLength: BlfStore.PeerLength, nullable: true),
                CallerInternal = table.Column<bool>(nullable: false),
                Note = table.Column<string>(maxLength: BlfStore.NoteLength, nullable: false),
                Urgency = table.Column<string>(maxLength: BlfStore.OutcomeLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
                TakenBy = table.Column<string>(maxLength: BlfStore.LoginLength, nullable: false),
                DoneAtUnixMs = table.Column<long>(nullable: true),
                DoneBy = table.Column<string>(maxLength: BlfStore.LoginLength, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Callbacks", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_Callbacks_DoneAtUnixMs", table: "Callbacks", column: "DoneAtUnixMs");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Callbacks");
    }
}
