/* managesieve.c: placeholder */
#include "config.h"
