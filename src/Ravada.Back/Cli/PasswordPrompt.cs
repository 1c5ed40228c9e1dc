using System.Text;

namespace Ravada.Back.Cli;

/// <summary>Reads a password: without echo, twice, on a terminal; one line from standard input otherwise (scripts).</summary>
internal static class PasswordPrompt
{
    public static string Read(string userName)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new InvalidOperationException("no password on standard input");
        }

        var first = ReadHidden($"Password for {userName}: ");
        var second = ReadHidden("Repeat it: ");
        return first == second ? first : throw new InvalidOperationException("the two passwords differ");
    }

    /// <summary>Reads a password once (to check it, not to set it).</summary>
    public static string ReadOnce(string prompt) =>
        Console.IsInputRedirected ? Console.In.ReadLine() ?? throw new InvalidOperationException("no password on standard input") : ReadHidden(prompt);

    /// <summary>Reads one line in the clear, such as a user name.</summary>
    public static string ReadLine(string prompt)
    {
        if (!Console.IsInputRedirected)
        {
            Console.Error.Write(prompt);
        }

        return Console.In.ReadLine() ?? throw new InvalidOperationException("nothing on standard input");
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
