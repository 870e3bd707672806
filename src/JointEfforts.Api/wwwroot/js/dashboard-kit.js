// The steering dashboard's kit: small DOM and number helpers, the API with the signed-in token, downloads and charts.
// dashboard.js draws the page with them; both are plain scripts (no build step), this one loaded first.
window.DashboardKit = (() => {
    "use strict";

    const TOKEN = "jointefforts.token";
    const labels = JSON.parse(document.getElementById("labels").textContent);
    const $ = (id) => document.getElementById(id);
    const charts = {};

    // ---- small helpers -------------------------------------------------------------------------------------------

    const label = (kind, wire) => (wire == null ? "" : (labels[kind] && labels[kind][wire]) || humanise(wire));
    const humanise = (wire) => String(wire).replace(/([A-Z])/g, " $1").toLowerCase().replace(/^./, (c) => c.toUpperCase());
    const country = (code) => (labels.country[code] ? `${labels.country[code]}` : code);
    const number = (n, digits = 0) => (n == null ? "–" : Number(n).toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
    const percent = (share) => (share == null ? "–" : `${Math.round(share * 100)} %`);
    const today = () => new Date().toISOString().slice(0, 10);

    function el(tag, attributes = {}, ...children) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes)) {
            if (value == null || value === false) continue;
            if (name === "text") node.textContent = value;
            else if (name === "onclick") node.addEventListener("click", value);
            else node.setAttribute(name, value === true ? "" : value);
        }
        for (const child of children.flat()) {
            if (child != null) node.append(child instanceof Node ? child : String(child));
        }
        return node;
    }

    function fill(id, ...children) {
        const node = $(id);
        node.replaceChildren(...children.flat().filter((c) => c != null));
        return node;
    }

    // data-label: on a phone a wide table is shown as one block per row, each cell beside its column's name (site.css).
    function table(id, headers, rows, numeric = []) {
        const head = el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { scope: "col", class: numeric.includes(i) ? "num" : null, text: h }))));
        const body = el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell, i) =>
            i === 0 ? el("th", { scope: "row" }, cell) : el("td", { class: numeric.includes(i) ? "num" : null, "data-label": headers[i] }, cell)))));
        return fill(id, head, body);
    }

    const missing = (what) => el("p", { class: "missing", text: `${what}: not available from this API version.` });

    // ---- the API -------------------------------------------------------------------------------------------------

    class HttpError extends Error {
        constructor(status, detail) {
            super(detail || `HTTP ${status}`);
            this.status = status;
        }
    }

    async function api(path, token = sessionStorage.getItem(TOKEN)) {
        const response = await fetch(path, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, cache: "no-store" });
        if (!response.ok) {
            let detail = null;
            try { detail = (await response.json()).detail; } catch { /* not a problem body */ }
            throw new HttpError(response.status, detail);
        }
        return response.json();
    }

    /** A route that may not exist yet (added in parallel): null on 404/405 rather than an error. */
    async function optional(path) {
        try {
            return await api(path);
        } catch (error) {
            if (error instanceof HttpError && (error.status === 404 || error.status === 405)) return null;
            throw error;
        }
    }

    const items = (page) => (Array.isArray(page) ? page : (page && page.items) || []);

    async function download(path, fallbackName, button) {
        const status = $("status");
        button.disabled = true;
        try {
            const response = await fetch(path, { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}` } });
            if (!response.ok) throw new HttpError(response.status);
            const disposition = response.headers.get("Content-Disposition") || "";
            const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
            const url = URL.createObjectURL(await response.blob());
            const link = el("a", { href: url, download: named ? decodeURIComponent(named[1]) : fallbackName });
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10000);
            status.textContent = `Downloaded ${link.download}.`;
        } catch (error) {
            status.textContent = `The workbook could not be downloaded (${error.message}).`;
        } finally {
            button.disabled = false;
        }
    }

    // ---- charts (Chart.js, served from /lib; the tables beside them carry the same figures for screen readers) ----

    function chart(id, config) {
        if (charts[id]) charts[id].destroy();
        if (typeof Chart === "undefined") return;
        config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
        charts[id] = new Chart($(id), config);
    }

    const palette = ["#1d5b8f", "#e07b39", "#2e7d32", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d", "#34495e"];

    return { TOKEN, labels, $, charts, label, humanise, country, number, percent, today, el, fill, table, missing, HttpError, api, optional, items, download, chart, palette };
})();
