/*
 * Logging for all three processes.  The parent writes to syslog, or to
 * stderr in the foreground; a child sends each line to the parent as a
 * MSG_LOG, so no child needs /dev/log inside its sandbox.
 */
#ifndef LVSD_LOG_H
#define LVSD_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* log_init's first argument: where the parent's lines go. */
#define LOG_MODE_DAEMON		0	/* syslog or the logfile= file */
#define LOG_MODE_DEBUG		1	/* -d: stderr, the bare line */
#define LOG_MODE_SUPERVISED	2	/* supervised=yes: stdout, dated */

void	 log_init(int, int);
int	 log_facility(const char *);
void	 log_target(const char *, const char *);
void	 log_procinit(const char *);
void	 log_to_parent(int);
struct msg_chan;
void	 log_queue_on(struct msg_chan *);
void	 log_queue_off(const struct msg_chan *);
void	 log_queue_drained(const struct msg_chan *);
void	 log_setverbose(int);
int	 log_getverbose(void);
void	 log_line(int, const char *);
/* loghold.c */
struct msg_log;
int	 log_holding(void);
void	 log_hold(int);
void	 log_flush(void);
void	 log_hold_text(int, const char *);
void	 log_hold_record(int, const struct msg_log *);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 logit(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
__attribute__((noreturn)) void
	 fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void
	 fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif /* LVSD_LOG_H */
