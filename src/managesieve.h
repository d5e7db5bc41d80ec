/* managesieve.h */
#ifndef PERDITION_MANAGESIEVE_H
#define PERDITION_MANAGESIEVE_H
#endif
