#ifndef AVOIN_BANNED_H
#define AVOIN_BANNED_H
/*
 * Functions that are easy to misuse with unbounded writes. Like git's
 * banned.h, using one is a compile error; use buf_* instead.
 */
#define BANNED(func) sorry_##func##_is_a_banned_function
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#endif
