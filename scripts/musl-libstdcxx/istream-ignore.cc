// istream::ignore(streamsize) for char and wchar_t live in libstdc++'s compatibility.o, which
// Debian's libstdc++_pic.a does not carry: here as ignore(n, delim) with a delim no character
// equals (char: 256; wchar_t: 0x110000, past Unicode), which skips the same n characters.
#include <istream>
std::istream& ignore_chars(std::istream* in, std::streamsize n) __asm__("_ZNSi6ignoreEl");
std::istream& ignore_chars(std::istream* in, std::streamsize n) { return in->ignore(n, 256); }
std::wistream& ignore_wchars(std::wistream* in, std::streamsize n) __asm__("_ZNSt13basic_istreamIwSt11char_traitsIwEE6ignoreEl");
std::wistream& ignore_wchars(std::wistream* in, std::streamsize n) { return in->ignore(n, 0x110000); }
