using BlfBlazor.Store;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PersonalBoards;

public static class PersonalBoardHostingExtensions
{
    /// <summary>Personal boards: validated <c>Blf:PersonalBoards</c> and the book, kept in the store and shared between instances. Call after <c>AddBlfStore</c>.</summary>
    public static WebApplicationBuilder AddPersonalBoards(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PersonalBoardOptions>()
            .Bind(builder.Configuration.GetSection(PersonalBoardOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PersonalBoardOptions>, PersonalBoardOptionsValidator>();
        builder.Services.AddSingleton<PersonalBoardBook>();
        builder.Services.AddSingleton<IKeptInStore>(services => services.GetRequiredService<PersonalBoardBook>());
        builder.Services.AddSingleton<ISharedInStore>(services => services.GetRequiredService<PersonalBoardBook>());
        return builder;
    }
}
