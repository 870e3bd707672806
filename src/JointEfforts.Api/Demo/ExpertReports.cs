namespace JointEfforts.Api.Demo;

/// <summary>
/// The four delivered pilot courses' evaluation reports, each as that country's expert would write it: what worked and what did
/// not differ by country, and the recommendations follow up the conclusions of the Antwerp expert meeting (seed 002: target senior
/// staff, pocket cards adapted to each country, case studies, standard operating procedures and focal points in hospitals, joint and
/// separate sessions) and of the Budapest conference (seed 004: labour exploitation, minors, health as a public interest). The texts
/// are illustrative: the seeds say reports were written, not what they said.
/// </summary>
public static class ExpertReports
{
    public sealed record Report(string Summary, string Strengths, string Weaknesses, IReadOnlyList<string> Recommendations, int OverallRating);

    public static readonly IReadOnlyDictionary<string, Report> ByCountry = new Dictionary<string, Report>
    {
        ["AT"] = new(
            "Three days in Vienna with officers of the Bundeskriminalamt, border police, emergency doctors from two Viennese hospitals and " +
            "shelter staff. The German curriculum worked as written; the post-test shows the largest gain on the indicators of labour " +
            "exploitation, which most police participants had not met in their own cases.",
            "The joint case study (a construction worker brought to an emergency department) made police and doctors plan the referral " +
            "together for the first time. Senior officers of the Bundeskriminalamt attended all three days, as the Antwerp meeting asked.",
            "Few labour inspectors came, although labour exploitation was the topic participants found most new. The session on " +
            "criminal proceedings was too theoretical for health staff.",
            [
                "Invite the labour inspectorate as a co-organiser of the next course, not only as a participant.",
                "Adapt the pocket cards to Austrian referral contacts (Bundeskriminalamt hotline, LEFÖ-IBF) before printing.",
                "Replace the lecture on criminal proceedings by a mock interview with a prosecutor.",
            ],
            5),
        ["NL"] = new(
            "The Amsterdam course brought together the Nationale Politie, the Royal Marechaussee, municipal health services (GGD) and " +
            "CoMensha. Participants knew the national referral mechanism well; the course added most on health needs and on the " +
            "barrier model discussed in Antwerp.",
            "The barrier model (entrance, identity, housing, labour, health) gave police and health staff a shared vocabulary. Separate " +
            "morning sessions for police and health staff, followed by joint afternoons, worked well.",
            "Most participants were field staff: only a few team leaders came, so the course reaches fewer decision makers than the " +
            "Antwerp meeting recommended. The Dutch pocket cards were not ready in time.",
            [
                "Target team leaders and managers (senior staff) for the next course, through the police and GGD management.",
                "Appoint a focal point for trafficking in each Amsterdam hospital, as the Antwerp meeting proposed.",
                "Make the course a module of the police academy's existing human trafficking training rather than a separate course.",
            ],
            4),
        ["AL"] = new(
            "Two days in Tirana with the State Police anti-trafficking unit, border police from Rinas and Kakavija, doctors of the " +
            "regional health directorates and shelter NGOs. The Albanian translation was good; the participants asked for more on the " +
            "return of victims and on unaccompanied minors.",
            "Strong participation of NGOs running shelters, who explained what they need from the police when a victim is referred. The " +
            "case studies on minors exploited in begging were the most discussed sessions.",
            "Two days were too short: the module on cooperation before, during and after proceedings was cut to two hours. Health staff " +
            "from outside Tirana could not attend for lack of travel funds.",
            [
                "Run the course over three days, as in the other pilot countries.",
                "Add a case study on unaccompanied minors and begging drawn from Albanian cases.",
                "Draft a standard operating procedure for referral between border police and health services (Protocol, SOP, pocket cards).",
            ],
            4),
        ["MD"] = new(
            "The Chișinău course gathered the General Police Inspectorate, the Border Police, family doctors and staff of the Centre for " +
            "Assistance and Protection of victims. Most participants had met victims of labour exploitation abroad; the course was held " +
            "in Romanian with Russian interpretation for part of the group.",
            "Participants brought real cases of returned victims, so the sessions on health and mental health needs after return were " +
            "concrete. The IOM mission supported the logistics and the course started on time every day.",
            "Interpretation slowed the first day and the pre-test was answered in haste. The judiciary was absent: no prosecutor or judge " +
            "took part, although cooperation in criminal proceedings is one of the three modules.",
            [
                "Invite prosecutors of the anti-trafficking prosecution office to the module on criminal proceedings.",
                "Print the pocket cards in Romanian and Russian.",
                "Include tuberculosis and HIV screening of returned victims, as the Budapest conference stressed, in the health module.",
            ],
            3),
    };
}
