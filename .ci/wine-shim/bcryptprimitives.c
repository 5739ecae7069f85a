/*
 * Stand-in for Windows' bcryptprimitives.dll under Wine 8 (Debian 12), which lacks it: Rust's
 * std (1.78+) gets its random seeds from ProcessPrng there and the program aborts at start-up
 * without it. Only for CI's runs of the Windows build under Wine; real Windows has the DLL.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c \
 *        bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
