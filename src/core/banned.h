/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Functions that must not be used, made into compile errors. Include this
 * file last in every .c file under src/ (tools/checksrc enforces it), after
 * the system headers that declare the functions.
 *
 * Why: unbounded copies (strcpy, strcat, sprintf, gets), truncation that
 * hides bugs (strncpy, strncat), hidden state (strtok, gmtime, localtime,
 * ctime, asctime, rand), no error reporting (atoi, atol, atof), races
 * (mktemp, tmpnam) and the shell (system, popen). Use snprintf, cirt_buf,
 * cirt_parse_*, gmtime_r and getrandom instead.
 */
#ifndef CIRT_CORE_BANNED_H
#define CIRT_CORE_BANNED_H

#define CIRT_BANNED(f) sorry_##f##_is_banned_in_cirtkit

#undef strcpy
#define strcpy(...) CIRT_BANNED(strcpy)
#undef strcat
#define strcat(...) CIRT_BANNED(strcat)
#undef strncpy
#define strncpy(...) CIRT_BANNED(strncpy)
#undef strncat
#define strncat(...) CIRT_BANNED(strncat)
#undef sprintf
#define sprintf(...) CIRT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CIRT_BANNED(vsprintf)
#undef gets
#define gets(...) CIRT_BANNED(gets)
#undef strtok
#define strtok(...) CIRT_BANNED(strtok)
#undef strtok_r
#define strtok_r(...) CIRT_BANNED(strtok_r)
#undef atoi
#define atoi(...) CIRT_BANNED(atoi)
#undef atol
#define atol(...) CIRT_BANNED(atol)
#undef atof
#define atof(...) CIRT_BANNED(atof)
#undef gmtime
#define gmtime(...) CIRT_BANNED(gmtime)
#undef localtime
#define localtime(...) CIRT_BANNED(localtime)
#undef ctime
#define ctime(...) CIRT_BANNED(ctime)
#undef asctime
#define asctime(...) CIRT_BANNED(asctime)
#undef mktemp
#define mktemp(...) CIRT_BANNED(mktemp)
#undef tmpnam
#define tmpnam(...) CIRT_BANNED(tmpnam)
#undef rand
#define rand(...) CIRT_BANNED(rand)
#undef system
#define system(...) CIRT_BANNED(system)
#undef popen
#define popen(...) CIRT_BANNED(popen)

#endif
