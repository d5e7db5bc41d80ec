/* STUB: perditiondb_odbc.c is being written (issue 12). */
#include "config.h"
#include "perditiondb.h"

int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	(void)key; (void)opt; (void)str; (void)len;
	return -1;
}
