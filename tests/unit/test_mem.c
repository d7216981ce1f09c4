/* mem_grow: the one doubling realloc behind every growable array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cxm/mem.h"

static void test_grows_from_first_and_doubles(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    assert_int_equal(mem_grow(&a, &cap, 0, sizeof *a, 4), 0);
    assert_non_null(a);
    assert_int_equal(cap, 4);
    for (int i = 0; i < 4; i++)
        a[i] = i;
    assert_int_equal(mem_grow(&a, &cap, 3, sizeof *a, 4), 0); /* room already */
    assert_int_equal(cap, 4);
    assert_int_equal(mem_grow(&a, &cap, 4, sizeof *a, 4), 0);
    assert_int_equal(cap, 8);
    assert_int_equal(mem_grow(&a, &cap, 100, sizeof *a, 4), 0); /* a jump: enough at once */
    assert_int_equal(cap, 128);
    for (int i = 0; i < 4; i++)
        assert_int_equal(a[i], i); /* contents kept */
    free(a);
}

static void test_overflow_leaves_array(void **state)
{
    (void)state;
    char *a = NULL;
    size_t cap = 0;
    assert_int_equal(mem_grow(&a, &cap, 10, 1, 16), 0);
    char *was = a;
    size_t capwas = cap;
    assert_int_equal(mem_grow(&a, &cap, SIZE_MAX / 2, 4, 16), -1);
    assert_ptr_equal(a, was);
    assert_int_equal(cap, capwas);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_from_first_and_doubles),
        cmocka_unit_test(test_overflow_leaves_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
