/*
 * The raw ICMP sockets of the ping checks.  Only a privileged process
 * can open one (CAP_NET_RAW): the parent does, and hands them to the
 * checker on fixed descriptors (MSG_ICMP4_FD, MSG_ICMP6_FD).
 */
#ifndef LVSD_ICMPSOCK_H
#define LVSD_ICMPSOCK_H

int	 icmpsock_open(int);
int	 icmpsock_place(const int *, int, int);

#endif /* LVSD_ICMPSOCK_H */
