namespace JointEfforts.Api.Infrastructure;

/// <summary>Small grammar for messages: "an open course", "1 participant is", "3 participants are".</summary>
public static class Wording
{
    /// <summary>The word with its indefinite article, capitalised: <c>An open</c>, <c>A draft</c>.</summary>
    public static string A(string word) =>
        (word.Length > 0 && "aeiouAEIOU".Contains(word[0]) ? "An " : "A ") + word;

    /// <summary>The count with the noun in singular or plural: <c>1 participant</c>, <c>3 participants</c>.</summary>
    public static string Count(int count, string noun, string? plural = null) =>
        $"{count} {(count == 1 ? noun : plural ?? noun + "s")}";

    /// <summary><c>is</c> or <c>are</c> for the count.</summary>
    public static string Is(int count) => count == 1 ? "is" : "are";
}
