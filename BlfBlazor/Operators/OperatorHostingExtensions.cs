namespace BlfBlazor.Operators;

public static class OperatorHostingExtensions
{
    /// <summary>Operator actions: the one service every board's action goes through (who may, how often, audited).</summary>
    public static IHostApplicationBuilder AddOperatorActions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OperatorActions>();
        return builder;
    }
}
