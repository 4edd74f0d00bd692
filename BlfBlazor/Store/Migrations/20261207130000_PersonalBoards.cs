using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlfBlazor.Store.Migrations;

/// <summary>
/// Personal boards: each signed-in person's favourites, saved views and last view, keyed by their
/// <c>sub</c> claim. Written by hand, without column types, like every migration here (docs/architecture.md).
/// </summary>
[DbContext(typeof(BlfStore))]
[Migration("20261207130000_PersonalBoards")]
internal sealed class PersonalBoards : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Favourites",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: BlfStore.PersonKeyLength, nullable: false),
                UserGuid = table.Column<string>(maxLength: BlfStore.GuidLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Favourites", x => new { x.PersonKey, x.UserGuid }));

        migrationBuilder.CreateTable(
            name: "SavedViews",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: BlfStore.PersonKeyLength, nullable: false),
                Name = table.Column<string>(maxLength: BlfStore.ViewNameLength, nullable: false),
                Query = table.Column<string>(maxLength: BlfStore.ViewQueryLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SavedViews", x => new { x.PersonKey, x.Name }));

        migrationBuilder.CreateTable(
            name: "LastViews",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: BlfStore.PersonKeyLength, nullable: false),
                Query = table.Column<string>(maxLength: BlfStore.ViewQueryLength, nullable: false),
                AtUnixMs = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_LastViews", x => x.PersonKey));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "LastViews");
        migrationBuilder.DropTable(name: "SavedViews");
        migrationBuilder.DropTable(name: "Favourites");
    }
}
