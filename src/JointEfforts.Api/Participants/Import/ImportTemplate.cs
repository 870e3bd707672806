using ClosedXML.Excel;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Participants;

/// <summary>
/// <c>GET /api/participants/import-template.xlsx</c>: an empty participant list with the import's columns, whose sector,
/// seniority and country cells offer drop-down lists (data validation) of the values the import takes.
/// </summary>
public static class ImportTemplate
{
    public const string FileName = "participants-import-template.xlsx";

    /// <summary>Rows prepared with drop-downs (a list may be longer: the import reads whatever rows it finds).</summary>
    public const int Rows = 500;

    public static readonly string[] Columns = ["fullName", "email", "organisation", "sector", "countryCode", "seniority", "jobTitle"];

    public static IEndpointRouteBuilder MapImportTemplate(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/participants")
            .WithTags("Participants")
            .RequireAuthorization(Policies.Coordinator)
            .WithStandardProblems()
            .MapGet("/import-template.xlsx", GetTemplate).WithName("GetParticipantImportTemplate")
            .WithSummary("An empty participant list for POST /api/participants/import (coordinator, admin): the columns fullName, email, " +
                         "organisation, sector, countryCode, seniority, jobTitle, with drop-down lists for sector, seniority and country.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Workbooks.ContentType);
        return app;
    }

    private static FileContentHttpResult GetTemplate() =>
        TypedResults.File(Render(), Workbooks.ContentType, FileName);

    public static byte[] Render()
    {
        using var workbook = Workbooks.Create("Participant list");
        var sheet = workbook.Worksheets.Add("Participants");
        var lists = workbook.Worksheets.Add("Lists");

        var sectors = Enum.GetValues<Sector>().Select(s => s.ToWire()).ToList();
        var seniorities = Enum.GetValues<Seniority>().Select(s => s.ToWire()).ToList();
        var countries = IsoCodes.Countries.Order(StringComparer.Ordinal).ToList();
        Fill(lists, 1, "sector", sectors);
        Fill(lists, 2, "seniority", seniorities);
        Fill(lists, 3, "countryCode", countries);
        lists.Visibility = XLWorksheetVisibility.Hidden;

        for (var c = 0; c < Columns.Length; c++)
        {
            var cell = sheet.Cell(1, c + 1);
            cell.Value = Columns[c];
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = Workbooks.HeaderFill;
            sheet.Column(c + 1).Width = Columns[c] switch
            {
                "fullName" or "organisation" or "jobTitle" => 32,
                "email" => 30,
                "sector" => 20,
                _ => 14,
            };
        }

        sheet.SheetView.FreezeRows(1);
        // Printed (to fill in by hand, or to check), every column fits one landscape page.
        sheet.PageSetup.PaperSize = XLPaperSize.A4Paper;
        sheet.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        sheet.PageSetup.FitToPages(1, 0);
        sheet.PageSetup.SetRowsToRepeatAtTop(1, 1);
        sheet.PageSetup.PrintAreas.Add(1, 1, 31, Columns.Length);
        sheet.PageSetup.ShowGridlines = true;
        DropDown(sheet, "sector", lists.Range(2, 1, sectors.Count + 1, 1), "Choose the sector from the list.");
        DropDown(sheet, "seniority", lists.Range(2, 2, seniorities.Count + 1, 2), "senior, field, or unknown (or leave empty).");
        DropDown(sheet, "countryCode", lists.Range(2, 3, countries.Count + 1, 3), "The ISO code of the country, e.g. LV, AT, NL.");
        return Workbooks.ToBytes(workbook);
    }

    private static void Fill(IXLWorksheet lists, int column, string title, List<string> values)
    {
        lists.Cell(1, column).Value = title;
        for (var i = 0; i < values.Count; i++)
        {
            lists.Cell(i + 2, column).Value = values[i];
        }
    }

    private static void DropDown(IXLWorksheet sheet, string column, IXLRange values, string prompt)
    {
        var index = Array.IndexOf(Columns, column) + 1;
        var validation = sheet.Range(2, index, Rows + 1, index).SetDataValidation();
        validation.List(values, true);
        validation.IgnoreBlanks = true;
        validation.InputTitle = column;
        validation.InputMessage = prompt;
        validation.ShowInputMessage = true;
        validation.ErrorTitle = column;
        validation.ErrorMessage = prompt;
        validation.ShowErrorMessage = true;
    }
}
