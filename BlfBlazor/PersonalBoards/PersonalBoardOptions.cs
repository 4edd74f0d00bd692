using Microsoft.Extensions.Options;

namespace BlfBlazor.PersonalBoards;

/// <summary><c>Blf:PersonalBoards</c>: how many people may keep favourites and views on this board.</summary>
public sealed class PersonalBoardOptions
{
    public const string SectionName = "Blf:PersonalBoards";

    public const int MaxPersonsLimit = 1_000_000;

    /// <summary>
    /// People with favourites or views kept (in memory and in the store); past this a new person's
    /// star is refused with a message, so a provider with endless accounts cannot grow the app without end.
    /// </summary>
    public int MaxPersons { get; set; } = 10_000;
}

/// <summary>Stops start-up naming the key when the bound makes no sense.</summary>
internal sealed class PersonalBoardOptionsValidator : IValidateOptions<PersonalBoardOptions>
{
    public ValidateOptionsResult Validate(string? name, PersonalBoardOptions options) =>
        options.MaxPersons is < 1 or > PersonalBoardOptions.MaxPersonsLimit
            ? ValidateOptionsResult.Fail($"{PersonalBoardOptions.SectionName}:{nameof(PersonalBoardOptions.MaxPersons)} is {options.MaxPersons}; use 1 to {PersonalBoardOptions.MaxPersonsLimit}.")
            : ValidateOptionsResult.Success;
}
