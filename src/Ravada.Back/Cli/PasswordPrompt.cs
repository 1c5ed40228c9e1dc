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
