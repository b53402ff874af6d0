/* Keeps test_support a valid library while tests/support holds no other sources. */
typedef int test_support_empty_unit;
