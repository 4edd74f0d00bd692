using System.Reflection;

namespace BlfBlazor.Tests;

/// <summary>
/// Every test class says what it needs: <c>./test.sh --fast</c> runs Unit and Component only (no
/// socket, browser, HAProxy or database; <c>Database</c> is the real SQLite and PostgreSQL), and a class with no category, or a misspelt one, would silently
/// drop out of it or out of a filtered run.
/// </summary>
[Trait("Category", "Unit")]
public class TestCategoryTests
{
    private static readonly string[] s_categories = ["Unit", "Component", "Integration", "Browser", "LoadBalancer", "Database"];

    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        var wrong = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(type => type.IsClass && !type.IsAbstract && HasTests(type))
            .Select(type => (type.FullName, Categories: Categories(type)))
            .Where(found => found.Categories.Count != 1 || !s_categories.Contains(found.Categories[0]))
            .Select(found => $"{found.FullName}: [{string.Join(", ", found.Categories)}]")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(
            wrong.Count == 0,
            $"Give each of these exactly one [Trait(\"Category\", ...)] of {string.Join(", ", s_categories)}:\n{string.Join("\n", wrong)}");
    }

    private static bool HasTests(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Any(method => method.IsDefined(typeof(FactAttribute), inherit: true));

    // xUnit's TraitAttribute keeps its name and value only as constructor arguments.
    private static List<string> Categories(Type type) =>
        [.. type.GetCustomAttributesData()
            .Where(attribute => attribute.AttributeType == typeof(TraitAttribute) && Equals(attribute.ConstructorArguments[0].Value, "Category"))
            .Select(attribute => attribute.ConstructorArguments[1].Value as string ?? "")];
}
