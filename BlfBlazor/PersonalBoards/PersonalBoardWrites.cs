using BlfBlazor.Store;

namespace BlfBlazor.PersonalBoards;

/// <summary>A change to a person's board; once saved, the other instances on a shared store reload the part.</summary>
internal abstract record PersonalBoardWrite : StoreWrite
{
    public override string? SharedPart => PersonalBoardBook.PartName;
}

/// <summary>Stars a user for a person (again: no second row).</summary>
internal sealed record SaveFavourite(string Person, string UserGuid, long AtUnixMs) : PersonalBoardWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (await store.Favourites.FindAsync([Person, UserGuid], cancellationToken) is null)
        {
            store.Favourites.Add(new FavouriteRow { PersonKey = Person, UserGuid = UserGuid, AtUnixMs = AtUnixMs });
        }
    }
}

/// <summary>Takes a user's star away.</summary>
internal sealed record ForgetFavourite(string Person, string UserGuid) : PersonalBoardWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (await store.Favourites.FindAsync([Person, UserGuid], cancellationToken) is { } row)
        {
            store.Favourites.Remove(row);
        }
    }
}

/// <summary>Saves a view under its name, replacing one of the same name.</summary>
internal sealed record SaveSavedView(string Person, string Name, string Query, long AtUnixMs) : PersonalBoardWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var row = await store.SavedViews.FindAsync([Person, Name], cancellationToken);
        if (row is null)
        {
            store.SavedViews.Add(new SavedViewRow { PersonKey = Person, Name = Name, Query = Query, AtUnixMs = AtUnixMs });
        }
        else
        {
            row.Query = Query;
        }
    }
}

/// <summary>Deletes a saved view.</summary>
internal sealed record ForgetSavedView(string Person, string Name) : PersonalBoardWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (await store.SavedViews.FindAsync([Person, Name], cancellationToken) is { } row)
        {
            store.SavedViews.Remove(row);
        }
    }
}

/// <summary>The view a person showed last (only a newer one replaces it: a retried older write changes nothing).</summary>
internal sealed record SaveLastView(string Person, string Query, long AtUnixMs) : PersonalBoardWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var row = await store.LastViews.FindAsync([Person], cancellationToken);
        if (row is null)
        {
            store.LastViews.Add(new LastViewRow { PersonKey = Person, Query = Query, AtUnixMs = AtUnixMs });
        }
        else if (AtUnixMs >= row.AtUnixMs)
        {
            row.Query = Query;
            row.AtUnixMs = AtUnixMs;
        }
    }
}
