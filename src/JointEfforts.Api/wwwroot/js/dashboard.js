// The steering dashboard: reads the API's JSON routes with the signed-in user's token and draws them.
// The token lives in sessionStorage (this tab only) and travels in the Authorization header, never in a URL.
// Every figure comes from a JSON route; a field or route that this API version lacks is shown as "not available".
(() => {
    "use strict";

    const { TOKEN, labels, $, charts, label, humanise, country, number, percent, today, el, fill, table, missing, HttpError, api, optional, items, download, chart, palette } =
        window.DashboardKit;
    const PROGRAMME = "jointefforts.programme";
    let load = 0;

    // ---- sign-in -------------------------------------------------------------------------------------------------

    async function signIn(event) {
        event.preventDefault();
        const token = $("token").value.trim();
        const error = $("signInError");
        error.textContent = "";
        if (!token) {
            error.textContent = "Enter your token.";
            $("token").focus();
            return;
        }
        try {
            await api("/api/projects?pageSize=200", token);
        } catch (e) {
            error.textContent = e.status === 401 ? "This token was not accepted. Check it, or ask the administrator for a new one."
                : `Signing in failed (${e.message}).`;
            $("token").focus();
            return;
        }
        sessionStorage.setItem(TOKEN, token);
        $("token").value = "";
        await start();
    }

    function signOut() {
        sessionStorage.removeItem(TOKEN);
        sessionStorage.removeItem(PROGRAMME);
        Object.values(charts).forEach((c) => c.destroy());
        $("content").hidden = true;
        $("controls").hidden = true;
        $("signOut").hidden = true;
        $("signIn").hidden = false;
        $("status").textContent = "Signed out.";
        $("token").focus();
    }

    async function start() {
        if (!sessionStorage.getItem(TOKEN)) {
            $("signIn").hidden = false;
            return;
        }
        let projects;
        try {
            projects = items(await api("/api/projects?pageSize=200"));
        } catch (e) {
            if (e.status === 401) {
                signOut();
                $("signInError").textContent = "Your token is no longer accepted; sign in again.";
                return;
            }
            $("status").textContent = `The programmes could not be read (${e.message}).`;
            return;
        }
        $("signIn").hidden = true;
        $("controls").hidden = false;
        $("signOut").hidden = false;
        const select = fill("programme", projects.map((p) => el("option", { value: p.id, text: `${p.code}: ${p.title}` })));
        const remembered = sessionStorage.getItem(PROGRAMME);
        if (remembered && projects.some((p) => String(p.id) === remembered)) select.value = remembered;
        if (!$("asOf").value) $("asOf").value = today();
        if (projects.length === 0) {
            $("status").textContent = "There is no programme yet.";
            return;
        }
        await show(projects.find((p) => String(p.id) === select.value));
    }

    // ---- the programme ---------------------------------------------------------------------------------------------

    async function show(project) {
        const mine = ++load;
        sessionStorage.setItem(PROGRAMME, project.id);
        const asOf = $("asOf").value || today();
        const status = $("status");
        status.textContent = `Loading ${project.code} as of ${asOf}…`;
        let dashboard;
        let courses;
        let phases;
        let recommendations;
        let waiting;
        try {
            [dashboard, courses, phases, recommendations, waiting] = await Promise.all([
                api(`/api/projects/${project.id}/dashboard?asOf=${asOf}`),
                api(`/api/projects/${project.id}/courses?pageSize=200`).then(items),
                api(`/api/projects/${project.id}/phases`).then(items),
                api(`/api/projects/${project.id}/recommendations?pageSize=200&asOf=${asOf}`).then(items),
                optional("/api/evaluation-reports?state=submitted"),
            ]);
        } catch (e) {
            if (e.status === 401) return signOut();
            status.textContent = e.status === 403
                ? "Your role may not read programme dashboards (steering group, coordinator or administrator only)."
                : `The dashboard could not be read (${e.message}).`;
            $("content").hidden = true;
            return;
        }
        if (mine !== load) return; // a newer choice is loading

        $("content").hidden = false;
        fill("programmeTitle", project.title);
        fill("programmeMeta", `${project.code} · ${project.fundingProgramme || ""} · ${project.startDate} to ${project.endDate}` +
            `${project.status ? ` · ${humanise(project.status)}` : ""} · figures as of ${dashboard.asOf || asOf}`);
        // The budget as the programme's documents state it (issue 25), when one is recorded.
        const budget = project.budget;
        const money = (amount) => amount == null ? null : `${budget.currency} ${Number(amount).toLocaleString("en-GB")}`;
        const budgetParts = budget ? [["initial cost", budget.initial], ["final cost", budget.final], [`from ${project.fundingProgramme || "the funder"}`, budget.granted]]
            .filter(([, amount]) => amount != null).map(([label, amount]) => `${money(amount)} ${label}`) : [];
        $("programmeBudget").hidden = budgetParts.length === 0;
        fill("programmeBudget", budgetParts.length ? `Budget: ${budgetParts.join(" · ")}` : "");
        $("steeringWorkbook").onclick = (event) =>
            download(`/api/projects/${project.id}/steering-report.xlsx?asOf=${asOf}`, `steering-report-${project.code}.xlsx`, event.currentTarget);

        const training = dashboard.training || {};
        showTrained(training);
        showEvaluation(dashboard.evaluation || {});
        showMeetings(dashboard.meetings);
        showCountries(training, asOfCourses(training, courses));
        showMix("sectorChart", "sectors", "Sector", training.sectorMix, "sector");
        showMix("seniorityChart", "seniority", "Seniority", training.seniorityMix, "seniority");
        showRecommendations(recommendations, dashboard.recommendations, dashboard.asOf || asOf);
        status.textContent = `${project.code}, as of ${dashboard.asOf || asOf}.`;

        // Second round: what needs one request per phase or course.
        const [milestones, summaries] = await Promise.all([
            Promise.all(phases.map((p) => optional(`/api/phases/${p.id}/milestones?asOf=${asOf}&pageSize=200`).then(items).catch(() => []))),
            Promise.all(asOfCourses(training, courses).map((c) => optional(`/api/courses/${c.id}/evaluation-summary?asOf=${asOf}`).catch(() => null))),
        ]);
        if (mine !== load) return;
        showPhases(dashboard.phases || [], phases, milestones);
        showCourses(asOfCourses(training, courses), summaries, asOf);
        await showReports(courses, waiting, mine, asOf);
    }

    // The courses as they stood on the as-of day (training.byCourse: status then, enrolled, trained, responses); an API without
    // it gives the courses as they are now.
    function asOfCourses(training, courses) {
        if (Array.isArray(training.byCourse)) {
            return training.byCourse.map((c) => ({ ...c, id: c.courseId }));
        }
        return courses.map((c) => ({ ...c, enrolled: c.enrolledCount, trained: null, responses: null, attendanceRecorded: true, sessionsHeld: null }));
    }

    // Sessions were held by the as-of day and no register was taken: "not recorded", never "0 trained".
    const notRecorded = (course) => course.sessionsHeld > 0 && course.attendanceRecorded === false;

    function showTrained(training) {
        const trained = training.participantsTrained ?? 0;
        const target = training.targetParticipantsTrained ?? 0;
        fill("trained", `${number(trained)} `, el("small", { text: `of ${number(target)} target` }));
        const share = target > 0 ? Math.min(1, trained / target) : 0;
        $("trainedBar").firstElementChild.style.width = `${share * 100}%`;
        $("trainedBar").setAttribute("aria-label", `${percent(target > 0 ? trained / target : null)} of the target trained`);
        fill("enrolled", `${number(training.participantsEnrolled)} enrolled; ${percent(target > 0 ? trained / target : null)} of the target trained.`);
    }

    function showEvaluation(evaluation) {
        fill("meanOverall", evaluation.meanOverall == null ? "–" : number(evaluation.meanOverall, 2), " ", el("small", { text: "mean overall (1–5)" }));
        fill("responses", `${number(evaluation.responses)} reaction responses.`);
        const gain = evaluation.knowledgeGain || {};
        // Knowledge gain in percentage points with one decimal, as in both workbooks ("+26.5 points").
        fill("gain", gain.meanGain == null ? "–" : `${gain.meanGain >= 0 ? "+" : ""}${(gain.meanGain * 100).toFixed(1)} points`);
        fill("gainDetail", `Mean score of paired tests (the same code before and after): ${percent(gain.meanPre)} before, ${percent(gain.meanPost)} after (${number(gain.pairs)} pairs).`);
        chart("gainChart", {
            type: "bar",
            data: {
                labels: ["Before", "After"],
                datasets: [{ label: "Mean score (%)", data: [gain.meanPre, gain.meanPost].map((v) => (v == null ? null : Math.round(v * 100))), backgroundColor: ["#9db7cf", "#1d5b8f"] }],
            },
            options: { plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
        });
    }

    function showMeetings(meetings) {
        if (!meetings) {
            fill("meetings", missing("Meetings"));
            return;
        }
        const upcoming = meetings.upcoming || [];
        fill("meetings",
            el("p", { class: "figure" }, number(meetings.held), " ", el("small", { text: "held" })),
            upcoming.length === 0 ? el("p", { class: "hint", text: "None upcoming." })
                : el("ul", {}, upcoming.map((m) => el("li", { text: `${m.startDate}: ${m.title}` }))));
    }

    function showCountries(training, courses) {
        const byCountry = training.byCountry;
        $("countryChart").parentElement.hidden = !Array.isArray(byCountry);
        if (Array.isArray(byCountry)) {
            const rows = [...byCountry].sort((a, b) => country(a.countryCode).localeCompare(country(b.countryCode)));
            // A country whose courses held by then never had a register taken: its trained is not known.
            const unrecorded = (code) => {
                const held = courses.filter((c) => c.countryCode === code && c.sessionsHeld > 0);
                return held.length > 0 && held.every(notRecorded);
            };
            table("countries", ["Country", "Courses", "Enrolled", "Trained", "Responses", "Mean overall"],
                rows.map((c) => [country(c.countryCode), number(c.courses), number(c.enrolled),
                    unrecorded(c.countryCode) ? "not recorded" : number(c.trained), number(c.responses), number(c.meanOverall, 2)]),
                [1, 2, 3, 4, 5]);
            chart("countryChart", {
                type: "bar",
                data: {
                    labels: rows.map((c) => country(c.countryCode)),
                    datasets: [
                        { label: "Enrolled", data: rows.map((c) => c.enrolled), backgroundColor: "#9db7cf" },
                        { label: "Trained", data: rows.map((c) => c.trained), backgroundColor: "#1d5b8f" },
                    ],
                },
            });
            return;
        }
        // Before training.byCountry: the number of courses per country is all the dashboard says (no chart of ones).
        const counts = Object.entries(training.coursesByCountry || {}).sort((a, b) => country(a[0]).localeCompare(country(b[0])));
        table("countries", ["Country", "Courses"], counts.map(([code, n]) => [country(code), number(n)]), [1]);
        if (charts.countryChart) { charts.countryChart.destroy(); delete charts.countryChart; }
    }

    function showMix(chartId, tableId, heading, mix, kind) {
        const canvas = $(chartId).parentElement;
        if (!mix) {
            canvas.hidden = true;
            fill(tableId);
            $(tableId).replaceWith(Object.assign(missing(`${heading} mix`), { id: tableId }));
            return;
        }
        canvas.hidden = false;
        if ($(tableId).tagName !== "TABLE") $(tableId).replaceWith(el("table", { id: tableId }));
        const entries = Object.entries(mix).filter(([, n]) => n > 0);
        const total = entries.reduce((sum, [, n]) => sum + n, 0);
        table(tableId, [heading, "Participants", "Share"], entries.map(([key, n]) => [label(kind, key), number(n), percent(total ? n / total : null)]), [1, 2]);
        chart(chartId, {
            type: "doughnut",
            data: { labels: entries.map(([key]) => label(kind, key)), datasets: [{ data: entries.map(([, n]) => n), backgroundColor: palette }] },
            options: { plugins: { legend: { position: "right" } } },
        });
    }

    function showPhases(progress, phases, milestones) {
        const byNumber = new Map(phases.map((p, i) => [p.number, { phase: p, milestones: milestones[i] || [] }]));
        fill("phases", progress.map((p) => {
            const detail = byNumber.get(p.number);
            const overdue = detail ? detail.milestones.filter((m) => m.overdue) : [];
            const share = p.progress ?? 0;
            return el("div", { class: "phase" },
                el("div", { class: "label" },
                    el("strong", { text: `${p.number}. ${detail ? detail.phase.name : label("phaseKind", p.kind)}` }),
                    el("span", {},
                        `${label("phaseStatus", p.status)} · ${p.milestonesCompleted} of ${p.milestonesTotal} milestones`,
                        p.milestonesOverdue > 0 ? el("span", { class: "overdue", text: ` · ${p.milestonesOverdue} overdue` }) : null)),
                el("div", { class: "bar", role: "img", "aria-label": `${percent(share)} complete` }, el("span", { style: null })),
                overdue.length > 0 ? el("ul", { class: "overdue-list" }, overdue.map((m) => el("li", { text: `${m.title} (due ${m.dueDate})` }))) : null);
        }));
        // Widths through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
        [...$("phases").querySelectorAll(".bar > span")].forEach((bar, i) => { bar.style.width = `${(progress[i].progress ?? 0) * 100}%`; });
    }

    function showCourses(courses, summaries, asOf) {
        const rows = courses.map((c, i) => ({ course: c, summary: summaries[i] }));
        // A response rate counts courses delivered by the as-of day only, as the steering workbook's Overview does: nobody could answer before.
        const delivered = (course) => course.status === "delivered" || course.status === "evaluated";
        const rateOf = (course, summary) => (!delivered(course) ? null : course.responseRate !== undefined ? course.responseRate : summary ? summary.responseRate : null);
        const responsesOf = (course, summary) => (course.responses != null ? course.responses : summary && summary.responses ? summary.responses.reaction : null);
        const trainedOf = (course) => (notRecorded(course) ? "not recorded" : course.sessionsHeld === 0 ? "–" : number(course.trained));
        const meanOf = (summary, purpose, key) => {
            const form = summary && (summary.forms || []).find((f) => f.purpose === purpose);
            if (!form) return null;
            if (!key) return form.meanScore;
            const question = (form.questions || []).find((q) => q.key === key);
            return question ? question.mean : null;
        };
        table("courses", ["Course", "Country", `Status on ${asOf}`, "Enrolled", "Trained", "Reaction responses", "Response rate (delivered courses)", "Mean overall", "Test before", "Test after", "Workbook"],
            rows.map(({ course, summary }) => [
                course.title,
                country(course.countryCode),
                label("courseStatus", course.status),
                number(course.enrolled != null ? course.enrolled : summary ? summary.enrolled : null),
                trainedOf(course),
                responsesOf(course, summary) == null ? "–" : number(responsesOf(course, summary)),
                delivered(course) ? percent(rateOf(course, summary)) : "not delivered",
                number(meanOf(summary, "reaction", "overall"), 2),
                percent(meanOf(summary, "preTest")),
                percent(meanOf(summary, "postTest")),
                el("button", {
                    type: "button", class: "button small secondary", text: "Download",
                    "aria-label": `Download the evaluation workbook of ${course.title}`,
                    onclick: (event) => download(`/api/courses/${course.id}/evaluation-report.xlsx?asOf=${asOf}`, `evaluation-report-${course.id}.xlsx`, event.currentTarget),
                }),
            ]),
            [3, 4, 5, 6, 7, 8, 9]);
        const named = rows.map(({ course }) => `${country(course.countryCode)} (${course.city || course.id})`);
        chart("courseChart", {
            type: "bar",
            data: {
                labels: named,
                datasets: [
                    { label: "Response rate, delivered courses (%)", data: rows.map(({ course, summary }) => (rateOf(course, summary) != null ? Math.round(rateOf(course, summary) * 100) : null)), backgroundColor: "#9db7cf", yAxisID: "y" },
                    { label: "Mean overall (1–5)", data: rows.map(({ summary }) => meanOf(summary, "reaction", "overall")), backgroundColor: "#e07b39", yAxisID: "score" },
                ],
            },
            options: {
                scales: {
                    y: { min: 0, max: 100, title: { display: true, text: "%" } },
                    score: { position: "right", min: 0, max: 5, grid: { drawOnChartArea: false }, title: { display: true, text: "1–5" } },
                },
            },
        });
    }

    async function showReports(courses, waiting, mine, asOf) {
        const titles = new Map(courses.map((c) => [c.id, c]));
        let reports;
        if (waiting) {
            // GET /api/evaluation-reports?state=submitted lists every programme's: keep this programme's courses.
            reports = items(waiting).filter((r) => titles.has(r.courseId));
        } else {
            const read = await Promise.all(courses
                .filter((c) => ["delivered", "evaluated"].includes(c.status))
                .map((c) => optional(`/api/courses/${c.id}/evaluation-report`).catch(() => null)));
            if (mine !== load) return;
            reports = read.filter((r) => r && r.state === "submitted");
        }
        // Awaiting now, and already submitted on the as-of day: a report submitted later was not awaiting anyone then.
        reports = reports.filter((r) => !r.submittedAt || String(r.submittedAt).slice(0, 10) <= asOf);
        if (reports.length === 0) {
            fill("reports", el("p", { class: "hint", text: "No report is awaiting the steering group." }));
            return;
        }
        fill("reports", el("ul", { class: "reports" }, reports.map((r) => {
            const course = titles.get(r.courseId) || {};
            const id = `report-${r.courseId}`;
            return el("li", { id },
                el("details", {},
                    el("summary", {}, el("strong", { text: course.title || r.courseTitle || `Course ${r.courseId}` }),
                        ` · ${country(course.countryCode || r.countryCode)} · submitted ${(r.submittedAt || "").slice(0, 10)}`),
                    r.summary ? el("p", { text: r.summary }) : null,
                    r.strengths ? el("p", {}, el("strong", { text: "Strengths: " }), r.strengths) : null,
                    r.weaknesses ? el("p", {}, el("strong", { text: "Weaknesses: " }), r.weaknesses) : null,
                    Array.isArray(r.recommendations) && r.recommendations.length
                        ? el("ul", {}, r.recommendations.map((x) => el("li", { text: x }))) : null,
                    r.overallRating != null ? el("p", { text: `Overall rating by the country expert: ${r.overallRating} of 5.` }) : null),
                el("a", { href: `#${id}`, text: "Read the report", onclick: (event) => { event.preventDefault(); event.currentTarget.previousElementSibling.open = true; } }),
                " · ",
                el("a", { href: `/workspace/reports/${r.courseId}`, text: "Accept or return it" }),
                " · ",
                el("button", {
                    type: "button", class: "button small secondary", text: "Course workbook",
                    onclick: (event) => download(`/api/courses/${r.courseId}/evaluation-report.xlsx`, `evaluation-report-${r.courseId}.xlsx`, event.currentTarget),
                }));
        })));
    }

    // "Overdue" is judged on the as-of date shown, not today: due before that day and still open or in progress.
    function showRecommendations(list, overview, asOf) {
        const counts = (overview && overview.byStatus) || {};
        const overdue = (r) => Boolean(r.dueDate) && r.dueDate < asOf && (r.status === "open" || r.status === "inProgress");
        const statuses = Object.keys(labels.recommendationStatus);
        fill("recommendations", statuses.map((status) => {
            const these = list.filter((r) => r.status === status);
            return el("details", { open: status === "open" || status === "inProgress" },
                el("summary", {}, el("strong", { text: label("recommendationStatus", status) }), `: ${number(counts[status] ?? these.length)}`),
                these.length === 0 ? null : el("ul", {}, these.map((r) => el("li", {},
                    r.text,
                    el("span", { class: overdue(r) ? "overdue" : "hint", text: ` (${[r.owner, r.dueDate ? `due ${r.dueDate}` : null, overdue(r) ? "overdue" : null].filter(Boolean).join(", ")})` })))));
        }));
    }

    // Printing shows what a reader would open: every folded list unfolded (the print stylesheet does the rest).
    window.addEventListener("beforeprint", () => document.querySelectorAll("#content details").forEach((d) => { d.open = true; }));

    // ---- wiring ----------------------------------------------------------------------------------------------------

    $("signInForm").addEventListener("submit", signIn);
    $("signOut").addEventListener("click", signOut);
    $("choose").addEventListener("submit", (event) => event.preventDefault());
    const reload = async () => {
        const projects = items(await api("/api/projects?pageSize=200"));
        const chosen = projects.find((p) => String(p.id) === $("programme").value);
        if (chosen) await show(chosen);
    };
    $("programme").addEventListener("change", reload);
    $("asOf").addEventListener("change", () => { if ($("asOf").value) reload(); });
    start();
})();
