/*
 * intro_defs.c - aggregates, operators and casts in scope.
 *
 * PostgreSQL has no pg_get_aggregatedef, so each query assembles the
 * CREATE statement from the catalog row, the way pg_dump does: functions
 * and operators schema-qualified, types as format_type prints them (with
 * the empty search_path every user type comes qualified), options only
 * where they differ from the default.  The text is then parsed and goes
 * through canon_defs.c, the code the loader uses for model statements.
 * Ordered-set and hypothetical-set aggregates (aggkind 'o', 'h') are not
 * managed yet and left out, as are shell operators, built-in casts (oid
 * below FirstNormalObjectId) and extension members.
 */
#include "intro.h"

#include "autogen/canon_defs.h"

/* Quoted "schema.name" of the function with oid X. */
#define FN(x)                                                                  \
    "(SELECT pg_catalog.quote_ident(fn.nspname) || '.' ||"                     \
    " pg_catalog.quote_ident(fp.proname) FROM pg_catalog.pg_proc fp"           \
    " JOIN pg_catalog.pg_namespace fn ON fn.oid = fp.pronamespace"             \
    " WHERE fp.oid = " x ")"
/* ", KEY = f" when the regproc column is set. */
#define OPTFN(key, col)                                                        \
    " || CASE WHEN " col "::pg_catalog.oid <> 0 THEN ', " key                  \
    " = ' || " FN(col) " ELSE '' END\n"
/* OPERATOR(schema.op) of the operator with oid X. */
#define OPR(x)                                                                 \
    "(SELECT 'OPERATOR(' || pg_catalog.quote_ident(ons.nspname) || '.' ||"     \
    " oo.oprname || ')' FROM pg_catalog.pg_operator oo"                        \
    " JOIN pg_catalog.pg_namespace ons ON ons.oid = oo.oprnamespace"           \
    " WHERE oo.oid = " x ")"
#define TYPE(x) "pg_catalog.format_type(" x ", NULL)"

static const char
    aggregates_sql
        [] = "SELECT n.nspname, p.proname,\n"
             " 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' "
             "||"
             " pg_catalog.quote_ident(p.proname) || '(' ||\n"
             " CASE WHEN p.pronargs = 0 THEN '*' ELSE (SELECT "
             "pg_catalog.string_agg("
             "CASE WHEN p.provariadic <> 0 AND u.o = p.pronargs THEN 'VARIADIC "
             "'"
             " ELSE '' END || " TYPE("u.t") ", ', ' ORDER BY u.o)"
                                            " FROM "
                                            "pg_catalog.unnest(p.proargtypes) "
                                            "WITH ORDINALITY u(t, o)) END\n"
                                            " || ') (SFUNC = ' || " FN("a."
                                                                       "aggtran"
                                                                       "sfn") " || ', STYPE = ' || " TYPE(
                                                "a.aggtranstype") "\n"
                                                                  " || CASE "
                                                                  "WHEN "
                                                                  "a."
                                                                  "aggtransspac"
                                                                  "e <> 0 THEN "
                                                                  "', SSPACE = "
                                                                  "' ||"
                                                                  " a."
                                                                  "aggtransspac"
                                                                  "e ELSE '' "
                                                                  "END\n" OPTFN(
                                                                      "FINALFUN"
                                                                      "C",
                                                                      "a."
                                                                      "aggfinal"
                                                                      "fn") " |"
                                                                            "| "
                                                                            "CA"
                                                                            "SE"
                                                                            " W"
                                                                            "HE"
                                                                            "N "
                                                                            "a."
                                                                            "ag"
                                                                            "gf"
                                                                            "in"
                                                                            "al"
                                                                            "ex"
                                                                            "tr"
                                                                            "a "
                                                                            "TH"
                                                                            "EN"
                                                                            " '"
                                                                            ", "
                                                                            "FI"
                                                                            "NA"
                                                                            "LF"
                                                                            "UN"
                                                                            "C_"
                                                                            "EX"
                                                                            "TR"
                                                                            "A'"
                                                                            " E"
                                                                            "LS"
                                                                            "E "
                                                                            "''"
                                                                            " E"
                                                                            "ND"
                                                                            "\n"
                                                                            " |"
                                                                            "| "
                                                                            "CA"
                                                                            "SE"
                                                                            " a"
                                                                            ".a"
                                                                            "gg"
                                                                            "fi"
                                                                            "na"
                                                                            "lm"
                                                                            "od"
                                                                            "if"
                                                                            "y "
                                                                            "WH"
                                                                            "EN"
                                                                            " '"
                                                                            "s'"
                                                                            " T"
                                                                            "HE"
                                                                            "N "
                                                                            "',"
                                                                            " F"
                                                                            "IN"
                                                                            "AL"
                                                                            "FU"
                                                                            "NC"
                                                                            "_M"
                                                                            "OD"
                                                                            "IF"
                                                                            "Y "
                                                                            "= "
                                                                            "SH"
                                                                            "AR"
                                                                            "EA"
                                                                            "BL"
                                                                            "E'"
                                                                            " W"
                                                                            "HE"
                                                                            "N "
                                                                            "'w"
                                                                            "' "
                                                                            "TH"
                                                                            "EN"
                                                                            " '"
                                                                            ", "
                                                                            "FI"
                                                                            "NA"
                                                                            "LF"
                                                                            "UN"
                                                                            "C_"
                                                                            "MO"
                                                                            "DI"
                                                                            "FY"
                                                                            " ="
                                                                            " R"
                                                                            "EA"
                                                                            "D_"
                                                                            "WR"
                                                                            "IT"
                                                                            "E'"
                                                                            " E"
                                                                            "LS"
                                                                            "E "
                                                                            "''"
                                                                            " E"
                                                                            "ND"
                                                                            "\n" OPTFN(
                                                                                "COMBINEFUNC",
                                                                                "a.aggcombinefn")
                                                                                OPTFN("SERIALFUNC", "a.aggserialfn") OPTFN("DESERIALFUNC", "a.aggdeserialfn") " || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' ||"
                                                                                                                                                              " pg_catalog.quote_literal(a.agginitval) ELSE '' END\n" OPTFN("MSFUNC", "a.aggmtransfn") OPTFN("MINVFUNC", "a.aggminvtransfn") " || CASE WHEN a.aggmtranstype <> 0 THEN ', MSTYPE = ' || " TYPE("a.aggmtranstype") " ELSE '' END\n"
                                                                                                                                                                                                                                                                                                                                                                                 " || CASE WHEN a.aggmtransspace <> 0 THEN ', MSSPACE = ' ||"
                                                                                                                                                                                                                                                                                                                                                                                 " a.aggmtransspace ELSE '' END\n" OPTFN(
                                                                                                                                                                                                                                                                                                                                                                                     "MFINALFUNC",
                                                                                                                                                                                                                                                                                                                                                                                     "a.aggmfinalfn") " || CASE WHEN a.aggmfinalextra THEN ', MFINALFUNC_EXTRA' ELSE '' END\n"
                                                                                                                                                                                                                                                                                                                                                                                                      " || CASE a.aggmfinalmodify WHEN 's' THEN ', MFINALFUNC_MODIFY ="
                                                                                                                                                                                                                                                                                                                                                                                                      " SHAREABLE' WHEN 'w' THEN ', MFINALFUNC_MODIFY = READ_WRITE' ELSE ''"
                                                                                                                                                                                                                                                                                                                                                                                                      " END\n"
                                                                                                                                                                                                                                                                                                                                                                                                      " || CASE WHEN a.aggminitval IS NOT NULL THEN ', MINITCOND = ' ||"
                                                                                                                                                                                                                                                                                                                                                                                                      " pg_catalog.quote_literal(a.aggminitval) ELSE '' END\n"
                                                                                                                                                                                                                                                                                                                                                                                                      " || CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = ' || " OPR("a.aggsortop") " ELSE '' END\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 " || CASE p.proparallel WHEN 's' THEN ', PARALLEL = SAFE'"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 " WHEN 'r' THEN ', PARALLEL = RESTRICTED' ELSE '' END || ')'\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "FROM pg_catalog.pg_aggregate a\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "WHERE a.aggkind = 'n' AND " AG_SQL_NS_IN_SCOPE("n") "\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      "  AND NOT " AG_SQL_EXT_MEMBER(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          "pg_proc",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          "p.oid") "\nORDER BY 1, 2, p.oid";

static const char operators_sql[] =
    "SELECT n.nspname, o.oprname,\n"
    " 'CREATE OPERATOR ' || pg_catalog.quote_ident(n.nspname) || '.' ||"
    " o.oprname || ' (FUNCTION = ' || " FN(
        "o.oprcode") "\n"
                     " || CASE WHEN o.oprleft <> 0 THEN ', LEFTARG = ' "
                     "|| " TYPE(
                         "o.oprleft") " ELSE '' END\n"
                                      " || CASE WHEN o.oprright <> 0 THEN ', "
                                      "RIGHTARG = ' || " TYPE(
                                          "o.oprright") " ELSE '' END\n"
                                                        " || CASE WHEN "
                                                        "o.oprcom <> 0 THEN ', "
                                                        "COMMUTATOR = ' "
                                                        "|| " OPR(
                                                            "o.oprcom") " ELSE "
                                                                        "'' "
                                                                        "END\n"
                                                                        " || "
                                                                        "CASE "
                                                                        "WHEN "
                                                                        "o."
                                                                        "oprneg"
                                                                        "ate "
                                                                        "<> 0 "
                                                                        "THEN "
                                                                        "', "
                                                                        "NEGATO"
                                                                        "R = ' "
                                                                        "||"
                                                                        " " OPR("o.oprnegate") " ELSE '' END\n" OPTFN(
                                                                            "RE"
                                                                            "ST"
                                                                            "RI"
                                                                            "C"
                                                                            "T",
                                                                            "o."
                                                                            "op"
                                                                            "rr"
                                                                            "es"
                                                                            "t")
                                                                            OPTFN(
                                                                                "JOIN",
                                                                                "o.oprjoin") " || CASE WHEN o.oprcanhash THEN ', HASHES' ELSE '' END\n"
                                                                                             " || CASE WHEN o.oprcanmerge THEN ', MERGES' ELSE '' END || ')'\n"
                                                                                             "FROM pg_catalog.pg_operator o\n"
                                                                                             "JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace\n"
                                                                                             "WHERE o.oprcode::pg_catalog.oid <> 0 AND " AG_SQL_NS_IN_SCOPE(
                                                                                                 "n") "\n"
                                                                                                      "  AND NOT " AG_SQL_EXT_MEMBER(
                                                                                                          "pg_operator",
                                                                                                          "o.oid") "\nORDER BY 1, 2, o.oid";

/* Casts have no schema: the schema filter does not apply. */
static const char casts_sql[] =
    "SELECT '', '',\n"
    " 'CREATE CAST (' || " TYPE("c.castsource") " || ' AS ' || " TYPE(
        "c.casttarget") " || ') ' ||\n"
                        " CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' "
                        "|| " FN(
                            "c.castfunc") " || '(' || COALESCE((SELECT"
                                          " pg_catalog.string_agg(" TYPE(
                                              "u.t") ", ', ' ORDER BY u.o)"
                                                     " FROM pg_catalog.pg_proc "
                                                     "cp,"
                                                     " pg_catalog.unnest(cp."
                                                     "proargtypes) WITH"
                                                     " ORDINALITY u(t, o) "
                                                     "WHERE cp.oid ="
                                                     " c.castfunc), '') || "
                                                     "')'\n"
                                                     " WHEN 'i' THEN 'WITH "
                                                     "INOUT' ELSE 'WITHOUT "
                                                     "FUNCTION' END\n"
                                                     " || CASE c.castcontext "
                                                     "WHEN 'i' THEN ' AS "
                                                     "IMPLICIT' WHEN 'a' THEN "
                                                     "' AS ASSIGNMENT' "
                                                     "ELSE '' END\n"
                                                     "FROM pg_catalog.pg_cast "
                                                     "c\n"
                                                     "WHERE c.oid >= 16384\n"
                                                     "  AND "
                                                     "NOT " AG_SQL_EXT_MEMBER(
                                                         "pg_cast",
                                                         "c.oid") "\nORDER BY "
                                                                  "3";

static int
read_defs(ag_intro *s, const char *kind, const char *sql, int nparams,
          ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, kind, sql, nparams, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        rc = ag_canon_def_text(s->cat, PQgetvalue(res, i, 2), NULL, err);
        if (rc)
            ag_error_prefix(err, "introspecting %s: %s: ", kind,
                            PQgetvalue(res, i, 2));
    }
    PQclear(res);
    return rc;
}

int
ag_intro_aggregates(ag_intro *s, ag_error *err)
{
    return read_defs(s, "aggregates", aggregates_sql, 1, err);
}

int
ag_intro_operators(ag_intro *s, ag_error *err)
{
    return read_defs(s, "operators", operators_sql, 1, err);
}

int
ag_intro_casts(ag_intro *s, ag_error *err)
{
    return read_defs(s, "casts", casts_sql, 0, err);
}
