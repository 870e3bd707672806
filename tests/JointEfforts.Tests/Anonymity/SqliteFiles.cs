using System.Buffers.Binary;
using System.Text;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// What an attacker holding a copy of the database files reads without SQLite: the pages of the main file, the frames of
/// its <c>-wal</c> (every frame, valid salt or not), and the cells of B-tree leaves with their offsets inside the page
/// (https://www.sqlite.org/fileformat2.html). Payloads that spill to overflow pages are read as far as they are local.
/// </summary>
internal sealed class SqliteFiles
{
    private SqliteFiles(int pageSize, Dictionary<uint, byte[]> main, Dictionary<uint, byte[]> pages, List<WalCommit> commits)
    {
        PageSize = pageSize;
        MainPages = main;
        Pages = pages;
        Commits = commits;
    }

    public int PageSize { get; }

    /// <summary>The pages of the main file alone.</summary>
    public Dictionary<uint, byte[]> MainPages { get; }

    /// <summary>Each page as the newest frame of the WAL leaves it, else as the main file has it.</summary>
    public Dictionary<uint, byte[]> Pages { get; }

    /// <summary>The WAL's transactions in the order written: each frame's page number and image.</summary>
    public List<WalCommit> Commits { get; }

    public sealed record WalCommit(List<(uint Page, byte[] Image)> Frames);

    public sealed record Cell(uint Page, int Index, int Offset, long? RowId, object?[] Values);

    public static SqliteFiles Read(string database, string? wal)
    {
        var file = File.ReadAllBytes(database);
        var pageSize = file.Length >= 100 ? BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(16)) : 4096;
        pageSize = pageSize == 1 ? 65536 : pageSize;
        var pages = new Dictionary<uint, byte[]>();
        for (var i = 0; (i + 1) * pageSize <= file.Length; i++)
        {
            pages[(uint)i + 1] = file.AsSpan(i * pageSize, pageSize).ToArray();
        }

        var main = new Dictionary<uint, byte[]>(pages);
        var commits = new List<WalCommit>();
        if (wal is not null && File.Exists(wal) && new FileInfo(wal).Length > 32)
        {
            var log = File.ReadAllBytes(wal);
            var walPageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(8));
            pageSize = walPageSize;
            var current = new List<(uint, byte[])>();
            for (var at = 32; at + 24 + walPageSize <= log.Length; at += 24 + walPageSize)
            {
                var page = BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(at));
                var sizeAfterCommit = BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(at + 4));
                var image = log.AsSpan(at + 24, walPageSize).ToArray();
                current.Add((page, image));
                if (sizeAfterCommit != 0)
                {
                    commits.Add(new WalCommit(current));
                    current = [];
                }
            }

            foreach (var commit in commits)
            {
                foreach (var (page, image) in commit.Frames)
                {
                    pages[page] = image;
                }
            }
        }

        return new SqliteFiles(pageSize, main, pages, commits);
    }

    /// <summary>The root page of a table or index, from the schema table (page 1).</summary>
    public uint RootOf(string name) =>
        (uint)Convert.ToInt64(Leaves(1).Select(c => c.Values).Single(v => v.Length >= 4 && (v[1] as string) == name)[3], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every leaf cell of the B-tree rooted at <paramref name="root"/>.</summary>
    public List<Cell> Leaves(uint root)
    {
        var cells = new List<Cell>();
        var stack = new Stack<uint>([root]);
        while (stack.Count > 0)
        {
            var number = stack.Pop();
            if (!Pages.TryGetValue(number, out var page))
            {
                continue;
            }

            var header = number == 1 ? 100 : 0;
            var type = page[header];
            var count = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header + 3));
            var pointers = header + (type is 0x02 or 0x05 ? 12 : 8);
            if (type is 0x02 or 0x05)
            {
                stack.Push(BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(header + 8)));
                for (var i = 0; i < count; i++)
                {
                    stack.Push(BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(pointers + (2 * i))))));
                }

                continue;
            }

            if (type is not (0x0A or 0x0D))
            {
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var offset = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(pointers + (2 * i)));
                var at = (int)offset;
                var size = Varint(page, ref at);
                long? rowId = type == 0x0D ? Varint(page, ref at) : null;
                var local = (int)Math.Min(size, page.Length - at);
                cells.Add(new Cell(number, i, offset, rowId, Record(page.AsSpan(at, local))));
            }
        }

        return cells;
    }

    /// <summary>The records of one page image's leaf cells (any B-tree), as text, for telling what a frame added.</summary>
    public static List<object?[]> RecordsOf(byte[] page, uint number)
    {
        var header = number == 1 ? 100 : 0;
        var type = page[header];
        if (type is not (0x0A or 0x0D))
        {
            return [];
        }

        var records = new List<object?[]>();
        var count = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header + 3));
        for (var i = 0; i < count; i++)
        {
            var at = (int)BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header + 8 + (2 * i)));
            if (at <= 0 || at >= page.Length)
            {
                continue;
            }

            var size = Varint(page, ref at);
            if (type == 0x0D)
            {
                Varint(page, ref at);
            }

            records.Add(Record(page.AsSpan(at, (int)Math.Min(size, Math.Max(0, page.Length - at)))));
        }

        return records;
    }

    public static string Key(object?[] record) => string.Join("|", record.Select(v => v?.ToString() ?? "NULL"));

    private static object?[] Record(ReadOnlySpan<byte> payload)
    {
        try
        {
            var bytes = payload.ToArray();
            var at = 0;
            var headerSize = (int)Varint(bytes, ref at);
            var types = new List<long>();
            while (at < headerSize && at < bytes.Length)
            {
                types.Add(Varint(bytes, ref at));
            }

            var body = headerSize;
            var values = new object?[types.Count];
            for (var i = 0; i < types.Count && body <= bytes.Length; i++)
            {
                var t = types[i];
                var length = t switch { 0 or 8 or 9 => 0, 1 => 1, 2 => 2, 3 => 3, 4 => 4, 5 => 6, 6 or 7 => 8, _ => (int)((t - 12) / 2) };
                if (body + length > bytes.Length)
                {
                    break;
                }

                var value = bytes.AsSpan(body, length);
                values[i] = t switch
                {
                    0 => null,
                    8 => 0L,
                    9 => 1L,
                    >= 1 and <= 6 => ReadInt(value),
                    7 => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(value)),
                    _ when t >= 13 && t % 2 == 1 => Encoding.UTF8.GetString(value),
                    _ => value.ToArray(),
                };
                body += length;
            }

            return values;
        }
        catch (ArgumentOutOfRangeException)
        {
            return [];
        }
    }

    private static long ReadInt(ReadOnlySpan<byte> value)
    {
        long result = (sbyte)value[0];
        for (var i = 1; i < value.Length; i++)
        {
            result = (result << 8) | value[i];
        }

        return result;
    }

    private static long Varint(byte[] data, ref int at)
    {
        long value = 0;
        for (var i = 0; i < 9 && at < data.Length; i++)
        {
            var b = data[at++];
            if (i == 8)
            {
                return (value << 8) | b;
            }

            value = (value << 7) | (long)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        return value;
    }
}
