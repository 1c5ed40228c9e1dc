using System.Globalization;
using System.Text;
using Ravada.Core.Requests;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Requests.QueueScenario;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Requests;

/// <summary>
/// Malformed arguments, names and commands given to the request queue: each is refused with a
/// <see cref="RequestArgumentException"/> (whose message is meant for the user) and nothing is stored.
/// </summary>
public sealed class RequestQueueFuzzTests
{
    private const int Seed = 20261125;
    private const string JsonCharacters = "{}[]\":,\\0eE-+.\u0000\u001f\ud800 aZ";

    private static readonly string[] NastyJson =
    [
        "{", "}", "[]", "[1]", "\"text\"", "42", "null", "true", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":1}{\"b\":2}",
        "{\"A\":1}", "{\"a b\":1}", "{\"\":1}", "{\"a\\u0000\":1}", "{\"é\":1}", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":null}",
        "{\"a\":1.5}", "{\"a\":1e400}", "{\"a\":99999999999999999999}", "{\"a\":-99999999999999999999}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\x41\"}", "{\"a\":'x'}", "\u0000", "{\"a\":1}\u0000", "\ufeff{\"a\":1}extra",
        "{\"a\":\"" + new string('x', RequestArguments.MaxJsonLength) + "\"}",
        "{\"" + new string('k', 5_000) + "\":1}",
        new string('[', 10_000), string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100),
        "{\"name\":\"x'); DROP TABLE requests;--\"}",
    ];

    private static readonly string[] NastyNames =
    [
        "", " ", "A", "name ", "na-me", "na.me", "name\u0000", "../../etc/passwd", "<script>", "'; DROP TABLE requests;--", "é", new string('a', 1_000),
    ];

    [Fact]
    public void Ten_thousand_malformed_argument_texts_are_refused_with_a_typed_exception_or_parsed_to_a_flat_object()
    {
        var random = new Random(Seed);
        var refused = 0;
        for (var round = 0; round < 10_000; round++)
        {
            var json = round < NastyJson.Length ? NastyJson[round] : Mutate(random);
            try
            {
                var parsed = RequestArguments.Parse(json);
                Assert.Equal(parsed, RequestArguments.Parse(parsed.ToJson()));
                Assert.All(parsed.Names, name => Assert.Matches("^[a-z0-9_]+$", name));
            }
            catch (RequestArgumentException)
            {
                refused++;
            }
        }

        Assert.True(refused > 5_000, $"only {refused} of 10000 refused");
    }

    [Fact]
    public void Argument_names_and_values_of_the_wrong_kind_are_refused_by_the_handlers_checks()
    {
        var arguments = RequestArguments.Parse("""{"name":"x","memory_mib":"lots","start":1}""");

        foreach (var name in NastyNames)
        {
            Assert.Throws<RequestArgumentException>(() => RequestArguments.Empty.With(name, "value"));
        }

        Assert.Throws<RequestArgumentException>(() => arguments.OnlyAllow("name", "start"));
        Assert.Throws<RequestArgumentException>(() => arguments.GetInt64("memory_mib"));
        Assert.Throws<RequestArgumentException>(() => arguments.GetBoolean("start"));
        Assert.Throws<RequestArgumentException>(() => arguments.RequireString("base_id"));
        Assert.Throws<RequestArgumentException>(() => arguments.RequireInt64("name"));
        Assert.Throws<RequestArgumentException>(() => RequestArguments.Empty.With("memory_mib", long.MaxValue).GetInt64InRange("memory_mib", 1, 1024, 512));
    }

    [Theory, DatabaseData]
    public async Task Malformed_commands_and_oversized_arguments_are_refused_and_nothing_is_stored(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var random = new Random(Seed);
        var commands = NastyNames.Concat(["Start", "start ", "start\u0000", "clone;remove", "ping\n"]).Concat(Enumerable.Range(0, 200).Select(_ => RandomText(random, 40)));

        foreach (var command in commands)
        {
            await Assert.ThrowsAsync<RequestArgumentException>(() => queue.EnqueueAsync(new NewRequest { Command = command, UserId = DaemonId }, Cancel));
        }

        foreach (var size in new[] { RequestArguments.MaxJsonLength, 1_000_000, 8_000_000 })
        {
            var huge = RequestArguments.Empty.With("name", new string('x', size));
            await Assert.ThrowsAsync<RequestArgumentException>(() => queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Ping, UserId = DaemonId, Arguments = huge }, Cancel));
        }

        var many = Enumerable.Range(0, 2_000).Aggregate(RequestArguments.Empty, (arguments, index) => arguments.With(string.Create(CultureInfo.InvariantCulture, $"a{index}"), index));
        await Assert.ThrowsAsync<RequestArgumentException>(() => queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Ping, UserId = DaemonId, Arguments = many }, Cancel));

        Assert.Empty(await queue.ListAsync(new RequestFilter(Limit: 100), Cancel));
    }

    /// <summary>A JSON-ish text: a valid object with a random edit, or random characters.</summary>
    private static string Mutate(Random random)
    {
        if (random.Next(3) == 0)
        {
            return RandomText(random, random.Next(10) == 0 ? 20_000 : 200);
        }

        var json = new StringBuilder("""{"name":"alice-desktop","memory_mib":2048,"start":true,"base_id":7}""");
        for (var edit = random.Next(1, 4); edit > 0; edit--)
        {
            var at = random.Next(json.Length);
            switch (random.Next(3))
            {
                case 0:
                    json.Remove(at, 1);
                    break;
                case 1:
                    json.Insert(at, JsonCharacters[random.Next(JsonCharacters.Length)]);
                    break;
                default:
                    json[at] = (char)random.Next(0x20, 0x7f);
                    break;
            }
        }

        return json.ToString();
    }

    private static string RandomText(Random random, int maxLength) =>
        new([.. Enumerable.Range(0, random.Next(1, maxLength)).Select(_ => (char)(random.Next(4) == 0 ? random.Next(0x10000) : random.Next(0x20, 0x7f)))]);
}
