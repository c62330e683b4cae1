/* conf/ere.c: what regcomp() must not be given. */
#ifndef LVSD_ERE_H
#define LVSD_ERE_H

const char	*ere_shape(const char *);

#endif /* LVSD_ERE_H */
