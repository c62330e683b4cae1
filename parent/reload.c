/*
 * Loading a config, at start and at a reload.  A reload parses the whole
 * file into a new struct conf before anything changes: if one thing is
 * wrong, every error is logged (and told to whoever asked for the
 * reload), the running config stays in force and no child hears of it.
 * If it parses, it becomes the parent's config of a new generation and
 * goes to ipvsd; the checker gets it once ipvsd has applied it (proc.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ev.h"
#include "log.h"
#include "lvsd.h"

/* The config must be root's alone: it decides what the kernel does. */
int
reload_conf_owner_ok(const char *path, FILE *errs)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		fprintf(errs, "%s: %s\n", path, strerror(errno));
		return 0;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		fprintf(errs, "%s: refusing a config that is not owned by "
		    "root or is writable by group or others (mode %04o, "
		    "uid %u)\n", path, (unsigned int)(st.st_mode & 07777),
		    (unsigned int)st.st_uid);
		return 0;
	}
	return 1;
}

/* Parse and check path; NULL, with every error written to errs. */
struct conf *
reload_load(const char *path, FILE *errs)
{
	struct conf	*c;

	c = conf_parse_file(path, errs);
	if (c != NULL && confmsg_validate(c, errs, 0) == -1) {
		conf_free(c);
		c = NULL;
	}
	/* a large file takes seconds: timers armed next count from now */
	(void)ev_now_update();
	return c;
}

/* logfile=: the config's log file or syslog facility, from now on. */
void
reload_log_target(const struct conf *c)
{
	char	 copy[1024];

	strlcpy(copy, env->e_conffile, sizeof(copy));
	log_target(c->c_logfile, basename(copy));
}

/* Each line of text to the log, as a warning. */
static void
reload_log_lines(char *text)
{
	char	*line, *next;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '\0')
			log_warnx("reload: %s", line);
	}
}

/*
 * Reload the config file (SIGHUP, `lvsd reload`).  Returns the exit code
 * for `lvsd reload`: 0 when the new config is on its way to the
 * children, 2 (ldirectord's code for a config error) when it is refused;
 * out, if not NULL, gets the errors.
 */
int
reload_run(FILE *out)
{
	struct conf	*c;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*errs;
	uint64_t	 t0;
	int		 changed;

	if ((errs = open_memstream(&text, &len)) == NULL)
		fatal("%s: open_memstream", __func__);
	t0 = ev_now_update();
	/* what is read now is what autoreload compares with from now on */
	changed = autoreload_mark();
	c = NULL;
	if (reload_conf_owner_ok(env->e_conffile, errs))
		c = reload_load(env->e_conffile, errs);
	if (fclose(errs) == EOF)
		fatal("%s: fclose", __func__);
	if (c == NULL) {
		env->e_reload_failures++;
		if (out != NULL)
			fprintf(out, "%s%s: not reloaded, configuration %u "
			    "stays in force\n", text, env->e_conffile,
			    env->e_gen);
		reload_log_lines(text);
		log_warnx("reload of %s failed; configuration %u stays in "
		    "force", env->e_conffile, env->e_gen);
		free(text);
		if (changed)
			hooks_callback();
		return 2;
	}
	free(text);
	maintdir_load(c);
	status_rebuild(c);
	hooks_rebuild(c);
	alerts_rebuild(c);
	conf_free(env->e_conf);
	env->e_conf = c;
	env->e_gen++;
	env->e_reloads++;
	reload_log_target(c);
	notify_reloading();
	/* what a large file costs, before the children hear of it */
	log_info("reloading %s as configuration %u: %u virtual services, "
	    "%u real servers (read in %llu ms)", env->e_conffile, env->e_gen,
	    c->c_nvirtuals, c->c_nreals,
	    (unsigned long long)(ev_now_update() - t0));
	proc_push_config();
	execute_all(c, "reload");
	/* after the new table, so that lvsd-exec has the new callback */
	if (changed)
		hooks_callback();
	return 0;
}
