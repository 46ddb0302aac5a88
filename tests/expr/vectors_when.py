"""``when`` vectors: (already substituted text, expected bool) and (text, error substring).

Sources: Argo ``workflow/controller/when_test.go``, ``docs/walk-through/conditionals.md``, examples,
and govaluate's lexer/planner rules (``parsing.go``, ``stagePlanner.go``).
"""

from __future__ import annotations

WHEN_TRUE = [
    # Argo when_test.go TestShouldExecute
    "foo == foo", "'ref/branch/master' == 'ref/branch/master'", "foo != bar", "1 == 1", "1 != 2", "1 < 2",
    "1 <= 1", "1/2 == 0.5", "a < b", "(foo == bar) || (foo == foo)", "(1 > 0) && (1 < 2)",
    "Error in (Failed, Error)", "!(Succeeded in (Failed, Error))", "true == true",
    # docs and examples
    "heads == heads", "heads =~ hea", "even == even", "Failed != Succeeded", "YES == YES", "true == true",
    "3 != 1 && 3 != 2", "0.95 > 0.90", "5 < 10", "( heads == heads && tails == tails ) || ( heads == tails )",
    "'2024-01-01' == '2024-01-01'",
    # numbers are float64
    "007 == 7", "1.0 == 1", ".5 == 0.5", "0x10 == 16", "10 > 9", "100 >= 100", "2 ** 10 == 1024", "7 % 4 == 3",
    "10 - 2 - 3 == 5", "12 / 4 * 3 == 9", "2 + 3 * 4 == 14", "(2 + 3) * 4 == 20", "-1 < 0", "- 5 == -5",
    "1 - -1 == 2", "6 & 3 == 2", "6 | 3 == 7", "6 ^ 3 == 5", "1 << 4 == 16", "256 >> 4 == 16", "~0 == -1",
    # strings
    "abc < abd", "b > a", "'a b' == 'a b'", '"x" == x', "'' == ''", "foo + bar == foobar", "1 + a == '1a'",
    "'it is' =~ '^it'", "master !~ '^release-'", "heads =~ '^h.*s$'", "Running != Succeeded",
    "'v1.2.3' == 'v1.2.3'", "'a-b' == 'a-b'", "'x:y' == 'x:y'", "'a/b' == 'a/b'", "[a b] == 'a b'",
    "hello_world == hello_world", "Hello == Hello", "abc123 == abc123",
    # booleans, logic, ternary, coalesce, in
    "true", "!false", "true && true", "false || true", "!(1 == 2)", "true ? true : false",
    "false ? false : true", "(1 == 1 ? yes : no) == yes", "1 in (1, 2, 3)", "b in (a, b)",
    "1 == 1 == true", "!(a in (b, c))", "'2024-01-02' > '2024-01-01'",
    "((((a == a))))", "true == (1 < 2)",
]

WHEN_FALSE = [
    # Argo when_test.go TestShouldExecute
    "foo != foo", "'ref/branch/master' != 'ref/branch/master'", "foo == bar", "1 != 1", "1 == 2", "1 > 2",
    "1 <= 0", "1/2 != 0.5", "a > b", "(foo == bar) || (bar == foo)", "(1 > 0) && (11 < 2)",
    "Succeeded in (Failed, Error)", "!(Error in (Failed, Error))", "false == true",
    # deep equality: no string/number coercion
    "'5' == 5", "'true' == true", "5 == '5.0'", "tails == heads", "heads =~ tai", "a in (b, c)",
    "Succeeded != Succeeded", "0.89 > 0.90", "true && false", "false || false", "!true",
    "1 == 1 ? false : true", "'' == ' '", "abc > abd", "'1' in (1, 2)", "0.1 + 0.2 == 0.3",
    # the trap: an unquoted date is arithmetic (2024 - 1 - 1), not text
    "2024-01-01 == 2024-01-02", "2024-01-01 == x",
]

WHEN_ERRORS = [
    # (text, substring of the message)
    ("my-value == my-value", "Value 'my' cannot be used with the modifier '-', it is not a number"),
    ("hello world == x", "Cannot transition token types from VARIABLE [hello] to VARIABLE [world]"),
    (" == heads", "Cannot transition token types from UNKNOWN [<nil>] to COMPARATOR [==]"),
    ("x == ", "Unexpected end of expression"),
    ("(1 == 1", "Unbalanced parenthesis"),
    ("1 == 1)", "Unbalanced parenthesis"),
    ("3abc == 3", "Cannot transition token types from NUMERIC [3] to VARIABLE [abc]"),
    ("1.2.3 == 1", "Unable to parse numeric value '1.2.3' to float64"),
    ("foo.bar == x", "Unable to access unexported field 'bar' in token 'foo.bar'"),
    ("v1.Two == x", "No parameter 'v1' found."),
    ("foo. == x", "Hanging accessor on token 'foo.'"),
    ("a == 'b", "Unclosed string literal"),
    ("[a == b", "Unclosed parameter bracket"),
    ("a === b", "Invalid token: '==='"),
    ("a==-1", "Invalid token: '==-'"),
    ("a == b @ c", "Invalid token: '@'"),
    ("x == _y", "Invalid token: '_'"),
    ("f(1) == 1", "Undefined function f"),
    ("!foo", "Cannot transition token types from PREFIX [!] to STRING [foo]"),
    ("5", "Expected boolean evaluation for '5'. Got 5"),
    ("heads", "Expected boolean evaluation for 'heads'. Got heads"),
    ("1 + 1", "Expected boolean evaluation for '1 + 1'. Got 2"),
    ("true ? a : b", "Expected boolean evaluation for 'true ? a : b'. Got a"),
    ("'a' > 1", "Value 'a' cannot be used with the comparator '>', it is not a number"),
    ("a && true", "Value 'a' cannot be used with the logical operator '&&', it is not a bool"),
    ("1 ? a : b", "Value '1' cannot be used with the ternary operator '?', it is not a bool"),
    ("a * 2 == 2", "Value 'a' cannot be used with the modifier '*', it is not a number"),
    ("a in b", "Value 'b' cannot be used with the comparator 'in', it is not a number"),
    ("1 =~ a", "Value '1' cannot be used with the comparator '=~', it is not a number"),
    ("a =~ '('", "error parsing regexp"),
    ("x ?? y == x", "Expected boolean evaluation for 'x ?? y == x'. Got x"),
    ("heads =~ ^hea", "Cannot transition token types from COMPARATOR [=~] to MODIFIER [^]"),
    ("10:30 == x", "Expected boolean evaluation"),
]

# messages of the parse stage get Argo's quoting hint
WHEN_INVALID_TOKEN = ["a === b", "a==-1", "a == b @ c"]
