using Ravada.Core.Hypervisor;

namespace Ravada.Core.Tests.Hypervisor;

public sealed class MachineNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("7")]
    [InlineData("alice-desktop")]
    [InlineData("win10_base.v2")]
    [InlineData("0-starts-with-a-digit")]
    [InlineData("ends-with-punctuation-.")]
    [InlineData("a..b")]
    public void Letters_digits_dashes_underscores_and_dots_after_a_letter_or_digit_are_valid(string name)
    {
        Assert.True(MachineName.IsValid(name));
        Assert.Equal(name, MachineName.Validate(name));
    }

    [Fact]
    public void Sixty_four_characters_are_the_limit()
    {
        var longest = new string('a', MachineName.MaxLength);

        Assert.True(MachineName.IsValid(longest));
        Assert.False(MachineName.IsValid(longest + "a"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-leading-dash", "leading dash (would read as an option)")]
    [InlineData("_leading-underscore", "leading underscore")]
    [InlineData(".hidden", "leading dot")]
    [InlineData("..", "parent directory")]
    [InlineData("../etc/passwd", "path traversal")]
    [InlineData("pool/volume", "slash")]
    [InlineData("with space", "space")]
    [InlineData("trailing-newline\n", "newline at the end")]
    [InlineData("carriage\rreturn", "carriage return")]
    [InlineData("tab\tinside", "tab")]
    [InlineData("nul\0inside", "NUL")]
    [InlineData("café", "accented letter")]
    [InlineData("Дмитрий", "Cyrillic letters")]
    [InlineData("桌面", "CJK letters")]
    [InlineData("ａlice", "full-width letter")]
    [InlineData("it's", "single quote")]
    [InlineData("say\"hi\"", "double quotes")]
    [InlineData("a<b>", "angle brackets")]
    [InlineData("a&b", "ampersand")]
    [InlineData("$(reboot)", "shell substitution")]
    [InlineData("a;b", "semicolon")]
    public void Anything_else_is_invalid(string name, string because)
    {
        Assert.False(MachineName.IsValid(name), because);
        Assert.Throws<ArgumentException>(() => MachineName.Validate(name));
    }

    [Fact]
    public void Null_is_invalid()
    {
        Assert.False(MachineName.IsValid(null));
        var error = Assert.Throws<ArgumentException>(() => MachineName.Validate(null));
        Assert.Contains("'(none)'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_five_characters_are_refused_with_the_rule_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineName.Validate(new string('x', 65), "volume name"));

        Assert.StartsWith("Invalid volume name 'xxxx", error.Message, StringComparison.Ordinal);
        Assert.Contains("use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit", error.Message, StringComparison.Ordinal);
        Assert.Equal("name", error.ParamName);
    }

    [Fact]
    public void The_message_shows_control_characters_as_question_marks_so_logs_stay_on_one_line()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineName.Validate("evil\nFAKE LOG LINE"));

        Assert.Contains("'evil?FAKE LOG LINE'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_message_quotes_at_most_eighty_characters_of_a_huge_name()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineName.Validate(new string('y', 10_000)));

        Assert.Contains($"'{new string('y', 80)}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('y', 81), error.Message, StringComparison.Ordinal);
    }
}
