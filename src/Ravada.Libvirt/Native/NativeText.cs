using System.Runtime.InteropServices;

namespace Ravada.Libvirt.Native;

/// <summary>Copies C strings out of libvirt with the right ownership.</summary>
internal static class NativeText
{
    /// <summary>Copies a string the caller owns and frees it with C <c>free</c>, as libvirt's API asks.</summary>
    public static unsafe string? Take(nint pointer)
    {
        if (pointer == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(pointer);
        }
        finally
        {
            NativeMemory.Free((void*)pointer);
        }
    }

    /// <summary>Copies a string owned by a libvirt object (never freed here).</summary>
    public static string? Borrow(nint pointer) => pointer == 0 ? null : Marshal.PtrToStringUTF8(pointer);
}
