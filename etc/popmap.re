# popmap.re: sample map for perdition's posix_regex map library.
#
# See perditiondb(5).  Load it with
#     map_library libperditiondb_posix_regex.so.0  (full path: see perditiondb(5))
#     map_library_opt /etc/perdition/popmap.re
#
# Each entry is a POSIX extended regular expression, an optional colon and
# a replacement.  The syntax is that of perdition.conf: # starts a comment,
# quotes protect blanks and #, and a backslash takes the next character
# literally, so write \\ for each backslash the expression needs.
#
# The entries are tried in order and the first one whose expression
# matches the user name gives the result: the part of the name before the
# match, then the replacement, in which $0 is the whole match and $1 to $9
# are the parenthesised subexpressions.  The part of the name after the
# match is dropped.  The result has the form [user@]server[:port].
#
# Examples (remove the leading # to use them):
#
# Users of the example.org domain go to its own server, on port 1110:
#^(.*)@example\\.org$:	$1@mail.example.org:1110
#
# Other names starting with a to m live on mail1, the rest on mail2:
#^([a-m].*)$:	$1@mail1.example.com
#^(.*)$:	$1@mail2.example.com
