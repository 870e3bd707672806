namespace JointEfforts.Api.Evaluations.Answering;

/// <summary>
/// What answering with a code came to (<see cref="AnsweringService"/>). The JSON route and the participant's page each map
/// it to their own answer: a status and a problem for the one, a page in the participant's language for the other.
/// </summary>
public abstract record AnswerOutcome
{
    private AnswerOutcome()
    {
    }

    /// <summary>The form to answer (reading it).</summary>
    public sealed record Form(ParticipantFormDto Shown) : AnswerOutcome;

    /// <summary>The answers are stored; the receipt names no course, code, response or time.</summary>
    public sealed record Stored(EvaluationReceipt Receipt) : AnswerOutcome;

    /// <summary>
    /// Nothing stored: the errors by field as the JSON route names them (<c>code</c>, <c>lang</c>, <c>language</c>,
    /// <c>answers.&lt;key&gt;</c>), and the form answered, when the code was good, to show again beside them.
    /// </summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors, ParticipantFormDto? Shown = null) : AnswerOutcome;

    /// <summary>No such code (a failed look-up).</summary>
    public sealed record UnknownCode : AnswerOutcome;

    /// <summary>The code's course has no form of this purpose; <paramref name="Language"/> is the course's.</summary>
    public sealed record NoForm(EvaluationPurpose Purpose, string Language) : AnswerOutcome;

    /// <summary>The code was used for this purpose already; <paramref name="Language"/> is the course's, to say so in it.</summary>
    public sealed record Used(EvaluationPurpose Purpose, string Language) : AnswerOutcome;

    /// <summary>The course takes no more answers (its state, or as many answers as enrolled): <paramref name="Detail"/> says which.</summary>
    public sealed record Closed(string Detail, string Language) : AnswerOutcome;

    /// <summary>Too many failed look-ups from this client; no code was looked up.</summary>
    public sealed record Limited(TimeSpan RetryAfter) : AnswerOutcome;
}
