/* The kernel command line: options, lists, and every kind of bad input. */
#include <stdlib.h>

#include "check.h"
#include "lib/cmdline.h"

static struct cmdline c;

int main(void)
{
    cmdline_parse("", &c);
    CHECK(c.serial && c.debugcon);            /* both consoles by default */
    CHECK(c.serial_port == 0x3f8 && c.debugcon_port == 0xe9);
    CHECK(!c.list && !c.disabled.present && !c.enabled.present);
    CHECK(c.error_count == 0);

    /* Multiboot loaders put the image path first. */
    cmdline_parse("/boot/kernel.elf --serial", &c);
    CHECK(c.serial && !c.debugcon);
    CHECK(c.error_count == 0);

    cmdline_parse("--serial=0x2f8 --debugcon=233", &c);
    CHECK(c.serial_port == 0x2f8 && c.debugcon_port == 233);
    CHECK(c.error_count == 0);

    cmdline_parse("--disable-testcases=a,bb,ccc --list", &c);
    CHECK(c.list);
    CHECK(name_list_contains(&c.disabled, "a"));
    CHECK(name_list_contains(&c.disabled, "bb"));
    CHECK(name_list_contains(&c.disabled, "ccc"));
    CHECK(!name_list_contains(&c.disabled, "b"));
    CHECK(!name_list_contains(&c.disabled, "cccc"));
    CHECK(!name_list_contains(&c.enabled, "a"));

    cmdline_parse("--enable-testcases=only_this", &c);
    CHECK(name_list_contains(&c.enabled, "only_this"));

    /* Bad input: reported, never fatal. */
    cmdline_parse("--bogus", &c);
    CHECK(c.error_count == 1);
    CHECK(strstr(c.errors[0], "unknown option '--bogus'") != NULL);

    cmdline_parse("--disable-testcases=", &c);
    CHECK(c.error_count == 1 && strstr(c.errors[0], "empty list") != NULL);

    cmdline_parse("--disable-testcases=a,,b", &c);
    CHECK(c.error_count == 1 && strstr(c.errors[0], "empty name") != NULL);
    CHECK(name_list_contains(&c.disabled, "b"));

    cmdline_parse("--serial=0x10000 --debugcon=zz", &c);
    CHECK(c.error_count == 2);
    CHECK(c.serial_port == 0x3f8);            /* the default stays */

    cmdline_parse("--enable-testcases=a --enable-testcases=b", &c);
    CHECK(c.error_count == 1 && strstr(c.errors[0], "given twice") != NULL);
    CHECK(name_list_contains(&c.enabled, "b") && !name_list_contains(&c.enabled, "a"));

    /* Many problems: counted beyond what is kept. */
    cmdline_parse("--a --b --c --d --e --f --g --h --i --j", &c);
    CHECK(c.error_count == 10);

    /* A very long list. */
    size_t n = 5000 * 8;
    char *big = malloc(n + 32);
    strcpy(big, "--disable-testcases=");
    for (int i = 0; i < 5000; i++)
        sprintf(big + strlen(big), "case%03d,", i % 1000);
    strcat(big, "last");
    cmdline_parse(big, &c);
    CHECK(c.error_count == 0);
    CHECK(name_list_contains(&c.disabled, "case999"));
    CHECK(name_list_contains(&c.disabled, "last"));
    free(big);
    return check_report();
}
