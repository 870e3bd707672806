using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Demo;

/// <summary>
/// Demo data: milestones, meetings, attendees and recommendations of the Joint Efforts programme as the
/// programme documents describe it (shared/seeds). Completion follows the phase statuses DemoSeed sets:
/// phases 1-3 completed, 4 in progress, 5 not started. Attendee names are fictitious.
/// </summary>
public static class ProgrammeDemo
{
    public const string BudapestConference = "Budapest European Conference on Trafficking in Human Beings";
    public const string AntwerpMeeting = "First Expert Group Meeting";
    public const string ConclusionConference = "Project Conclusion Conference";

    private static readonly (int Phase, string Title, MilestoneKind Kind, string Due, string? CompletedOn)[] Milestones =
    [
        (1, "Project Steering Group meeting", MilestoneKind.Meeting, "2011-12-13", "2011-12-13"),
        (1, "Stocktaking and data collection on health care support for victims in selected Member States", MilestoneKind.Activity, "2012-02-15", "2012-02-24"),
        (2, "Kick-off conference: Budapest European Conference on Trafficking in Human Beings", MilestoneKind.Meeting, "2012-02-27", "2012-02-27"),
        (2, "First Expert Group Meeting, Antwerp: victims identification", MilestoneKind.Meeting, "2012-04-23", "2012-04-23"),
        (2, "Second Expert Group Meeting, Krems: health care and psychological support", MilestoneKind.Meeting, "2012-06-15", "2012-06-15"),
        (2, "Third Expert Group Meeting, The Hague: cooperation in criminal proceedings", MilestoneKind.Meeting, "2012-09-21", "2012-09-21"),
        (3, "Draft training curriculum ready for translation and testing", MilestoneKind.Deliverable, "2013-03-15", "2013-03-14"),
        (3, "Project Steering Group review of the draft curriculum", MilestoneKind.Meeting, "2013-03-19", "2013-03-19"),
        // The pilot courses' milestones stand for the courses (CourseDemo links them): due and completed on each course's last day.
        (4, "Pilot course Austria (Vienna)", MilestoneKind.Activity, "2013-04-24", "2013-04-24"),
        (4, "Pilot course The Netherlands (Amsterdam)", MilestoneKind.Activity, "2013-05-29", "2013-05-29"),
        (4, "Pilot course Albania (Tirana)", MilestoneKind.Activity, "2013-06-18", "2013-06-18"),
        (4, "Pilot course Moldova (Chișinău)", MilestoneKind.Activity, "2013-09-25", "2013-09-25"),
        (4, "Pilot course United Kingdom (London)", MilestoneKind.Activity, "2013-10-22", null),
        (4, "Pilot course Sweden (Stockholm)", MilestoneKind.Activity, "2013-11-20", null),
        (4, "Country expert evaluation reports of the six pilot courses to the steering group", MilestoneKind.Deliverable, "2013-12-20", null),
        (5, "Training curriculum for law enforcement, border security, NGOs and health practitioners", MilestoneKind.Deliverable, "2014-02-28", null),
        (5, "Information pocket cards for practitioners on indicators", MilestoneKind.Deliverable, "2014-02-28", null),
        (5, "Manual for practitioners and policy makers on improving assistance to victims of human trafficking", MilestoneKind.Deliverable, "2014-02-28", null),
        (5, "Handbook for project developers and implementers on best practices for the training programme", MilestoneKind.Deliverable, "2014-03-06", null),
        (5, "Directory of hotlines for law enforcement and health practitioners, victims and NGOs", MilestoneKind.Deliverable, "2014-03-06", null),
        (5, "Project Conclusion Conference, Brussels", MilestoneKind.Meeting, "2014-03-06", null),
        (5, "Final project report", MilestoneKind.Deliverable, "2014-03-20", null),
        // Last in the list so the ids above stay those of the examples: the interim report the seeds link ("8 Month Evaluation
        // Report"), eight months after the start on 2011-10-20 (issue 25).
        (2, "8 Month Evaluation Report: the interim report to the European Commission", MilestoneKind.Deliverable, "2012-06-20", "2012-06-20"),
    ];

    // The nine highlights of the conference as the report on it lists them (seed 004), shortened, none left out.
    private const string BudapestConclusions =
        "The conference was a good starting point for the ISEC project: it addressed the missing link between law enforcement, " +
        "health authorities and civil society organisations, and exposed concrete needs of practitioners to use in the training curricula.\n" +
        "1. EU and Member States' anti-trafficking policies evolved considerably since the mid-1990s, from the Vienna summit (1996) and the Tampere " +
        "conclusions (1999) to the Brussels conference (2002) and the Hague and Stockholm programmes (2004, 2010): a strong legislative response " +
        "with practical projects in countries of origin, transit and destination.\n" +
        "2. Anti-trafficking policy moved from a law enforcement and security approach towards an increased focus on the victims and prevention; " +
        "the Payoke project reinforcing cooperation between law enforcement and health authorities illustrates the change.\n" +
        "3. Trafficking in human beings is first and foremost a grave violation of human rights and dignity; the human rights approach is " +
        "mainstreamed in all EU anti-trafficking policies and actions, internally and with third countries.\n" +
        "4. The forms of trafficking change constantly: labour exploitation of men, women and children, trafficking of minors and organs, " +
        "begging, forced marriages and internal trafficking are increasing.\n" +
        "5. Trafficking cases involve several countries and many stakeholders; only a multi-disciplinary approach, with partnership between " +
        "state and civil society organisations, brings results.\n" +
        "6. Synergy between law enforcement and health authorities, with specific training for officials in the field, helps victims' " +
        "rehabilitation, builds trust, improves their testimony and so the prosecution and conviction of traffickers.\n" +
        "7. Access to health care for victims benefits society as a whole: the costs of inaction outweigh those of targeted action, as " +
        "infectious diseases such as TB and HIV spread.\n" +
        "8. Coherent training programmes for law enforcement and health authorities are necessary, designed by experts for each group of " +
        "officials and adapted to their capacities and priorities.\n" +
        "9. The project contributes to implementing the 2010 EU Directive on preventing and combating trafficking in human beings and " +
        "protecting victims, and to its victim-centred approach.";

    private const string AntwerpConclusions =
        "Attended by 12 experts of governments, NGOs and international organisations; focused on victims identification, setting the basis for the training curricula.\n" +
        "- Payoke's \"coffee and cookies\" method was explained as a model of victims' identification: a comfortable, friendly first encounter that addresses trauma and psychological needs, shelter for up to three months, and support for integration.\n" +
        "- Processed victims are registered in a database run jointly by Payoke, Pag-asa and Sürya; close cooperation with Eurojust is ensured.\n" +
        "- FRONTEX has a training manual for law enforcement; implementation is difficult because national standards and practices differ.\n" +
        "- Training should target the right level of the hierarchy and the end users: police, border guards, prison staff, health services, social workers and labour inspectors.\n" +
        "- The project should not produce yet another manual to be shelved, nor a national referral mechanism; the Netherlands barrier model is an option.\n" +
        "- Curricula should be tested by law enforcement and health officials in separate and joint sessions, and in the longer term become part of regular university curricula.";

    // The recommendations of the first expert group meeting, as the minutes state them (seed 002), with who follows each up.
    private static readonly (string Text, string Owner, string Due, RecommendationStatus Status)[] AntwerpRecommendations =
    [
        ("To institutionalise the \"cookie and coffee\" approach into a regular practice, providing for victims psychological and post trauma support " +
         "while getting the victims' testimony of her trafficking ordeal, thus allowing the law enforcement and prosecutors to begin action against traffickers.",
         "Payoke", "2013-03-31", RecommendationStatus.Implemented),
        ("To devise a common training manual that can be adapted to specific national circumstances.",
         "Danube University Krems", "2013-03-31", RecommendationStatus.Implemented),
        ("Developing common acceptable standards that fit into the overall context and structural background and provide a basis for the next steps; " +
         "specific and generic enough to be applicable to concrete situations.",
         "Expert Group", "2013-12-31", RecommendationStatus.InProgress),
        ("Targeting the managerial (senior) level as the training group, as they influence both the field and policy making within their institution; " +
         "for health and other field practitioners in direct contact with victims, pocket cards with concise information on THB indicators and practical steps, adapted to each participating country.",
         "Payoke", "2014-02-28", RecommendationStatus.InProgress),
        ("To develop training material that complements the existing trainings and is embedded in the existing structure, making an additional part of it.",
         "Danube University Krems", "2013-03-31", RecommendationStatus.Implemented),
        ("To develop Standard Operating Procedures as part of the national referral mechanism and to appoint focal points in hospitals and elsewhere " +
         "to oversee the implementation, following the pyramid Protocol - SOP - Pocket cards.",
         "Project Steering Group", "2014-03-06", RecommendationStatus.Open),
        ("Support the training curricula by case studies in order to identify gaps and needs, raise key issues and share available information.",
         "Country experts", "2013-12-31", RecommendationStatus.InProgress),
    ];

    // Fictitious experts: governments, NGOs and international organisations, as the minutes describe the twelve.
    private static readonly (string FullName, string Organisation, OrganisationType Type, string Country)[] AntwerpExperts =
    [
        ("Anna Verbeke", "Payoke", OrganisationType.Ngo, "BE"),
        ("Koen Janssens", "Federal Judicial Police Antwerp", OrganisationType.LawEnforcement, "BE"),
        ("Marta Kovács", "Ministry of Interior", OrganisationType.Government, "HU"),
        ("Pieter de Vries", "CoMensha", OrganisationType.Ngo, "NL"),
        ("Ingrid Olsen", "Oslo University Hospital", OrganisationType.Health, "NO"),
        ("Elena Rusu", "International Organization for Migration, Mission to Moldova", OrganisationType.InternationalOrganisation, "MD"),
        ("Thomas Gruber", "Federal Ministry of the Interior", OrganisationType.Government, "AT"),
        ("Arben Hoxha", "Ministry of Interior, Anti-Trafficking Unit", OrganisationType.Government, "AL"),
        ("Claire Dubois", "Eurojust", OrganisationType.InternationalOrganisation, "NL"),
        ("Julia Steiner", "Danube University Krems", OrganisationType.Academia, "AT"),
        ("James Whitfield", "UK Human Trafficking Centre", OrganisationType.LawEnforcement, "GB"),
        ("Isabel Ferreira", "Frontex", OrganisationType.InternationalOrganisation, "PL"),
    ];

    public static void Seed(DbConnection db, DbTransaction transaction, DemoContext context)
    {
        db.Execute(
            "INSERT INTO milestones (phase_id, title, kind, due_date, completed_on) VALUES (@PhaseId, @Title, @Kind, @Due, @CompletedOn)",
            Milestones.Select(m => new { PhaseId = context.PhaseIds[m.Phase], m.Title, Kind = m.Kind.ToWire(), m.Due, m.CompletedOn }),
            transaction);

        long Meeting(MeetingKind kind, int phase, string title, string? topic, string city, string country, string start, string end,
            int? capacity = null, string? conclusions = null) =>
            db.ExecuteScalar<long>(
                """
                INSERT INTO meetings (project_id, phase_id, kind, title, topic, city, country_code, start_date, end_date, capacity, conclusions)
                VALUES (@ProjectId, @phaseId, @kind, @title, @topic, @city, @country, @start, @end, @capacity, @conclusions) RETURNING id
                """,
                new
                {
                    context.ProjectId,
                    phaseId = context.PhaseIds[phase],
                    kind = kind.ToWire(),
                    title,
                    topic,
                    city,
                    country,
                    start,
                    end,
                    capacity,
                    conclusions,
                },
                transaction);

        Meeting(MeetingKind.SteeringGroup, 1, "Project Steering Group meeting", "Project plan, roles and stocktaking", "Antwerp", "BE", "2011-12-13", "2011-12-13");
        // The programme's kick-off conference (phase 2, seed 001): the Budapest European Conference (seed 004).
        var budapest = Meeting(MeetingKind.KickOff, 2, BudapestConference, "The missing link between law enforcement, health authorities and civil society",
            "Budapest", "HU", "2012-02-27", "2012-02-27", conclusions: BudapestConclusions);
        var antwerp = Meeting(MeetingKind.ExpertGroup, 2, AntwerpMeeting, "Victims Identification", "Antwerp", "BE", "2012-04-22", "2012-04-23",
            capacity: 15, conclusions: AntwerpConclusions);
        Meeting(MeetingKind.ExpertGroup, 2, "Second Expert Group Meeting", "Health care and psychological support for victims",
            "Krems", "AT", "2012-06-14", "2012-06-15", capacity: 15);
        Meeting(MeetingKind.ExpertGroup, 2, "Third Expert Group Meeting", "Cooperation in criminal proceedings and unaccompanied minors",
            "The Hague", "NL", "2012-09-20", "2012-09-21", capacity: 15);
        Meeting(MeetingKind.SteeringGroup, 3, "Project Steering Group meeting: review of the draft curriculum", "Draft training curriculum",
            "Brussels", "BE", "2013-03-19", "2013-03-19");
        Meeting(MeetingKind.SteeringGroup, 4, "Project Steering Group meeting: pilot courses half-way", "Evaluation reports of the first pilot courses",
            "Vienna", "AT", "2013-10-10", "2013-10-10");
        Meeting(MeetingKind.Conference, 5, ConclusionConference, "Results of the training and recommendations for Member States",
            "Brussels", "BE", "2014-03-06", "2014-03-06", capacity: 100);

        db.Execute(
            """
            INSERT INTO meeting_attendees (meeting_id, full_name, organisation, organisation_type, country_code)
            VALUES (@antwerp, @FullName, @Organisation, @Type, @Country)
            """,
            AntwerpExperts.Select(a => new { antwerp, a.FullName, a.Organisation, Type = a.Type.ToWire(), a.Country }),
            transaction);
        db.Execute(
            "INSERT INTO recommendations (meeting_id, text, owner, due_date, status) VALUES (@antwerp, @Text, @Owner, @Due, @Status)",
            AntwerpRecommendations.Select(r => new { antwerp, r.Text, r.Owner, r.Due, Status = r.Status.ToWire() }),
            transaction);

        // The two meetings whose conclusions the seeds record complete their milestones (the others' minutes are not in the seeds).
        db.Execute(
            """
            UPDATE milestones SET meeting_id = CASE WHEN title LIKE 'Kick-off conference%' THEN @budapest ELSE @antwerp END
            WHERE phase_id = @phase AND (title LIKE 'Kick-off conference%' OR title LIKE 'First Expert Group Meeting%')
            """,
            new { budapest, antwerp, phase = context.PhaseIds[2] }, transaction);
    }
}
