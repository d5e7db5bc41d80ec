/* STUB: perditiondb_ldap.c is being written (issue 12). */
#include "config.h"
#include "perditiondb.h"

int dbserver_get2(const char *key, const char *opt, char **user, char **server, char **port)
{
	(void)key; (void)opt; (void)user; (void)server; (void)port;
	return -1;
}
