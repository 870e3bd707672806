using JointEfforts.Api;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Tests.Foundation;

public sealed class LabelsTests
{
    [Fact]
    public void EveryEnumValueOfTheApiHasAWrittenLabel()
    {
        var enums = typeof(Labels).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && t.Namespace!.StartsWith("JointEfforts.Api", StringComparison.Ordinal));
        var missing = new List<string>();
        foreach (var type in enums)
        {
            foreach (Enum value in Enum.GetValues(type))
            {
                if (!Labels.IsWritten(value)) missing.Add($"{type.Name}.{value}");
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void WireValuesReadAsWords()
    {
        Assert.Equal("Testing and implementation", Labels.For<PhaseKind>("testingAndImplementation"));
        Assert.Equal("In progress", Labels.For(PhaseStatus.InProgress));
        Assert.Equal("Something new", Labels.For<PhaseKind>("somethingNew"));
        Assert.Equal("Moldova", Labels.Country("MD"));
        Assert.Equal("Română", Labels.Language("ro"));
        Assert.Equal("5 - Very good", Labels.LikertAnchor(5));
    }
}
