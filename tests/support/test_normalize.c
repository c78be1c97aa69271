/* Unit tests for the pg_dump normaliser (no server). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const upgraded =
    "--\n"
    "-- PostgreSQL database dump\n"
    "--\n"
    "\\restrict AbC123\n"
    "\n"
    "SET statement_timeout = 0;\n"
    "SET client_encoding = 'UTF8';\n"
    "SELECT pg_catalog.set_config('search_path', '', false);\n"
    "SET default_tablespace = '';\n"
    "\n"
    "CREATE TABLE public.users (\n"
    "    id integer NOT NULL,\n"
    "    email text,\n"
    "    phone character varying(20)\n"
    ");\n"
    "\n"
    "ALTER TABLE public.users OWNER TO postgres;\n"
    "\\unrestrict AbC123\n";

static const char *const fresh =
    "--\n"
    "\\restrict ZZZ999\n"
    "SET statement_timeout = 0;\n"
    "SELECT pg_catalog.set_config('search_path', '', false);\n"
    "CREATE TABLE public.users (\n"
    "    id integer NOT NULL,\n"
    "    phone character varying(20),\n"
    "    email text\n"
    ");\n"
    "ALTER TABLE public.users OWNER TO postgres;\n"
    "\\unrestrict ZZZ999\n";

Test(normalize, drops_noise_and_sorts_table_bodies)
{
    char *n = agt_normalize_dump(upgraded);
    cr_assert_str_eq(n, "CREATE TABLE public.users (\n"
                        "    email text\n"
                        "    id integer NOT NULL\n"
                        "    phone character varying(20)\n"
                        ");\n"
                        "ALTER TABLE public.users OWNER TO postgres;\n");
    free(n);
}

Test(normalize, column_order_does_not_matter)
{
    char *a = agt_normalize_dump(upgraded), *b = agt_normalize_dump(fresh);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
}

Test(normalize, a_changed_type_still_differs)
{
    char *a = agt_normalize_dump(fresh);
    char *changed = strdup(fresh);
    char *p = strstr(changed, "varying(20)");
    cr_assert_not_null(p);
    memcpy(p, "varying(30)", 11);
    char *b = agt_normalize_dump(changed);
    cr_assert_str_neq(a, b);
    free(a);
    free(b);
    free(changed);
}

Test(normalize, statement_order_outside_tables_is_kept)
{
    char *a = agt_normalize_dump("CREATE INDEX a ON t (x);\nCREATE INDEX b ON t (y);\n");
    char *b = agt_normalize_dump("CREATE INDEX b ON t (y);\nCREATE INDEX a ON t (x);\n");
    cr_assert_str_neq(a, b);
    free(a);
    free(b);
}

Test(normalize, partitioned_and_composite_blocks)
{
    char *n = agt_normalize_dump("CREATE TABLE public.m (\n"
                                 "    b integer,\n"
                                 "    a integer\n"
                                 ")\n"
                                 "PARTITION BY RANGE (a);\n"
                                 "CREATE TYPE public.pair AS (\n"
                                 "\ty integer,\n"
                                 "\tx integer\n"
                                 ");\n");
    /* tables sort their body; a composite type's field order is its API */
    cr_assert_str_eq(n, "CREATE TABLE public.m (\n"
                        "    a integer\n"
                        "    b integer\n"
                        ")\n"
                        "PARTITION BY RANGE (a);\n"
                        "CREATE TYPE public.pair AS (\n"
                        "\ty integer,\n"
                        "\tx integer\n"
                        ");\n");
    free(n);
}

Test(normalize, unterminated_block_and_crlf)
{
    char *n = agt_normalize_dump("CREATE TABLE t (\r\n    b int,\r\n    a int\r\n");
    cr_assert_str_eq(n, "CREATE TABLE t (\n    b int,\n    a int\n");
    free(n);
    char *e = agt_normalize_dump("");
    cr_assert_str_eq(e, "");
    free(e);
}
