/*
 * sh: a small shell. Runs programs with arguments (searching $PATH, default
 * "/bin:."), pipelines with |, background jobs with &, sequences with ;,
 * redirections < > >> 2> 2>>, quotes, $? $$ $! $NAME, # comments, and the
 * built-ins cd, exit, wait, pwd, export NAME=VALUE and unset NAME.
 *
 *   sh              read commands from stdin (a prompt when interactive)
 *   sh -c CMD       run CMD and exit with its status
 *   sh FILE         run the commands in FILE
 *
 * On a raw serial console (no kernel line discipline) the shell echoes what
 * is typed and handles backspace itself: see read_line_raw().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <sys/stat.h>

#define LINE_MAX     1024
#define WORDS_MAX    128
#define ARGS_MAX     64
#define CMDS_MAX     8
#define JOBS_MAX     16
#define DEFAULT_PATH "/bin:."

/* The kinds of token the lexer produces. */
enum token_kind {
	T_WORD,
	T_PIPE,
	T_AMP,
	T_SEMI,
	T_IN,
	T_OUT,
	T_APPEND,
	T_ERR,
	T_ERR_APPEND
};

struct token {
	enum token_kind kind;
	char *text; /* the word, for T_WORD */
};

/* One simple command of a pipeline, with its redirections. */
struct command {
	char *argv[ARGS_MAX + 1];
	int argc;
	const char *in, *out, *err; /* files for <, > (or >>), 2> (or 2>>); NULL if none */
	bool out_append, err_append;
};

struct pipeline {
	struct command cmds[CMDS_MAX];
	int count;
	bool background;
};

/* A background job, remembered so its end can be reported. */
struct job {
	pid_t pid; /* 0: slot free */
	int number;
	char text[64];
};

static int last_status;	 /* $? */
static pid_t last_job;	 /* $!: the last background job */
static bool interactive; /* show prompts and job messages */
static bool raw_console; /* we must echo and edit input ourselves */
static int input_fd;	 /* where commands come from */
static struct job jobs[JOBS_MAX];

/* Print "sh: what: message" on stderr. */
static void complain(const char *what, const char *message)
{
	fprintf(stderr, "sh: %s: %s\n", what, message);
}

/* Read one byte of input; returns 1, or 0 at end of input or on error. */
static int read_byte(char *c)
{
	ssize_t n;

	do {
		n = read(input_fd, c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1;
}

/*
 * Read a line from a terminal without a line discipline: echo printable
 * characters, erase on backspace (0x08) or DEL (0x7f), end the line on \r or
 * \n (a \n right after \r is skipped), ^C drops the line, ^D on an empty line
 * is end of input. Returns the length, or -1 at end of input.
 */
static int read_line_raw(char *buf, int size)
{
	static bool after_cr;
	int len = 0;
	char c;

	while (read_byte(&c)) {
		if (c == '\n' && after_cr) {
			after_cr = false;
			continue;
		}
		after_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			write(1, "\r\n", 2);
			buf[len] = '\0';
			return len;
		} else if (c == 0x7f || c == 0x08) {
			if (len > 0) {
				len--;
				write(1, "\b \b", 3);
			}
		} else if (c == 0x03) {
			write(1, "^C\r\n", 4);
			len = 0;
			buf[0] = '\0';
			return 0;
		} else if (c == 0x04) {
			if (len == 0)
				return -1;
		} else if (c >= 0x20 && len < size - 1) {
			buf[len++] = c;
			write(1, &c, 1);
		}
	}
	return len > 0 ? len : -1;
}

/*
 * Read a line byte by byte (so that programs we start can read the rest of
 * our input). Returns the length without the newline, or -1 at end of input.
 */
static int read_line(char *buf, int size)
{
	int len = 0;
	char c;

	if (raw_console)
		return read_line_raw(buf, size);
	while (read_byte(&c)) {
		if (c == '\n') {
			buf[len] = '\0';
			return len;
		}
		if (len < size - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return len > 0 ? len : -1;
}

/* Append s to the word being built in *out, without passing end. */
static void append_text(char **out, const char *end, const char *s)
{
	while (*s && *out < end)
		*(*out)++ = *s++;
}

/* Append one character to the word being built. */
static void append_char(char **out, const char *end, char c)
{
	if (*out < end)
		*(*out)++ = c;
}

/* True if c may appear in a variable name (first says whether it is the first character). */
static bool name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

/* Expand $? $$ $! or $NAME at *p into *out; advances *p past the name. */
static void expand_dollar(const char **p, char **out, const char *end)
{
	char name[64], number[16];
	char c = **p;
	int n = 0;

	if (c == '?' || c == '$' || c == '!') {
		int value = c == '?' ? last_status : c == '$' ? getpid() : last_job;

		snprintf(number, sizeof(number), "%d", value);
		append_text(out, end, number);
		(*p)++;
		return;
	}
	while (n < (int)sizeof(name) - 1 && name_char(**p, n == 0))
		name[n++] = *(*p)++;
	name[n] = '\0';
	if (n == 0)
		append_text(out, end, "$"); /* a lone $ stays itself */
	else if (getenv(name))
		append_text(out, end, getenv(name));
}

/* True for characters that end a word (blanks and operators). */
static bool ends_word(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || strchr("|&;<>", c) != NULL;
}

/*
 * Read one word at *p into *out (quotes removed, $ expanded, \ escapes the
 * next character). Returns false if a quote is not closed.
 */
static bool lex_word(const char **p, char **out, const char *end)
{
	while (!ends_word(**p)) {
		char c = *(*p)++;

		if (c == '\\' && **p) {
			append_char(out, end, *(*p)++);
		} else if (c == '\'') {
			while (**p && **p != '\'')
				append_char(out, end, *(*p)++);
			if (*(*p)++ != '\'')
				return false;
		} else if (c == '"') {
			while (**p && **p != '"') {
				c = *(*p)++;
				if (c == '$')
					expand_dollar(p, out, end);
				else
					append_char(out, end, c);
			}
			if (*(*p)++ != '"')
				return false;
		} else if (c == '$') {
			expand_dollar(p, out, end);
		} else {
			append_char(out, end, c);
		}
	}
	return true;
}

/* Recognise an operator at *p; returns its kind and advances, or T_WORD if none. */
static enum token_kind lex_operator(const char **p)
{
	const char *s = *p;

	if (s[0] == '2' && s[1] == '>') {
		*p += s[2] == '>' ? 3 : 2;
		return s[2] == '>' ? T_ERR_APPEND : T_ERR;
	}
	if (s[0] == '>' && s[1] == '>') {
		*p += 2;
		return T_APPEND;
	}
	*p += 1;
	switch (s[0]) {
	case '|':
		return T_PIPE;
	case '&':
		return T_AMP;
	case ';':
		return T_SEMI;
	case '<':
		return T_IN;
	case '>':
		return T_OUT;
	}
	*p -= 1;
	return T_WORD;
}

/*
 * Split the text at *line into tokens, words stored in storage, up to and
 * including the next ; or & (so that $? in a later command sees the status of
 * the earlier ones). Stops at a # that starts a word. Advances *line; returns
 * the number of tokens, or -1 on a syntax error.
 */
static int tokenize(const char **line, struct token *tokens, char *storage, size_t size)
{
	char *out = storage, *end = storage + size - 1;
	int n = 0;

	for (;;) {
		while (**line == ' ' || **line == '\t')
			(*line)++;
		if (**line == '\0' || **line == '#')
			return n;
		if (n == WORDS_MAX) {
			complain("syntax error", "too many words");
			return -1;
		}
		tokens[n].kind = lex_operator(line);
		if (tokens[n].kind == T_SEMI || tokens[n].kind == T_AMP)
			return n + 1;
		if (tokens[n].kind == T_WORD) {
			tokens[n].text = out;
			if (!lex_word(line, &out, end)) {
				complain("syntax error", "unterminated quote");
				return -1;
			}
			if (out >= end) {
				complain("syntax error", "line too long");
				return -1;
			}
			*out++ = '\0';
		}
		n++;
	}
}

/* Apply the redirection token kind with target file to cmd. */
static void set_redirect(struct command *cmd, enum token_kind kind, const char *file)
{
	if (kind == T_IN) {
		cmd->in = file;
	} else if (kind == T_OUT || kind == T_APPEND) {
		cmd->out = file;
		cmd->out_append = kind == T_APPEND;
	} else {
		cmd->err = file;
		cmd->err_append = kind == T_ERR_APPEND;
	}
}

/*
 * Parse tokens[*pos..] into one pipeline, up to a ; or & or the end.
 * Returns 1 if a pipeline was parsed, 0 if nothing was left, -1 on error.
 */
static int parse_pipeline(struct token *tokens, int count, int *pos, struct pipeline *pl)
{
	struct command *cmd;

	memset(pl, 0, sizeof(*pl));
	if (*pos >= count)
		return 0;
	pl->count = 1;
	cmd = &pl->cmds[0];
	for (; *pos < count; (*pos)++) {
		struct token *t = &tokens[*pos];

		if (t->kind == T_SEMI || t->kind == T_AMP) {
			pl->background = t->kind == T_AMP;
			(*pos)++;
			break;
		} else if (t->kind == T_WORD) {
			if (cmd->argc == ARGS_MAX)
				goto error;
			cmd->argv[cmd->argc++] = t->text;
		} else if (t->kind == T_PIPE) {
			if (cmd->argc == 0 || pl->count == CMDS_MAX)
				goto error;
			cmd = &pl->cmds[pl->count++];
		} else {
			if (*pos + 1 >= count || tokens[*pos + 1].kind != T_WORD)
				goto error;
			(*pos)++;
			set_redirect(cmd, t->kind, tokens[*pos].text);
		}
	}
	if (cmd->argc == 0)
		goto error;
	return 1;
error:
	complain("syntax error", "unexpected token");
	return -1;
}

/* Open file and make it descriptor fd; returns 0, or -1 after a message. */
static int redirect(int fd, const char *file, int flags)
{
	int opened = open(file, flags, 0666);

	if (opened < 0) {
		complain(file, strerror(errno));
		return -1;
	}
	if (opened != fd) {
		dup2(opened, fd);
		close(opened);
	}
	return 0;
}

/* Set up the child's standard files for cmd; returns 0, or -1 if one failed. */
static int apply_redirects(const struct command *cmd)
{
	int wr = O_WRONLY | O_CREAT;

	if (cmd->in && redirect(0, cmd->in, O_RDONLY) < 0)
		return -1;
	if (cmd->out && redirect(1, cmd->out, wr | (cmd->out_append ? O_APPEND : O_TRUNC)) < 0)
		return -1;
	if (cmd->err && redirect(2, cmd->err, wr | (cmd->err_append ? O_APPEND : O_TRUNC)) < 0)
		return -1;
	return 0;
}

/*
 * In the child: exec argv[0], trying each $PATH directory unless the name has
 * a '/'. Never returns: on failure says why and exits 127 (not found) or 126.
 */
static void exec_command(char **argv)
{
	const char *path = getenv("PATH");
	char full[512];
	int error = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, environ);
		error = errno;
	} else {
		if (!path)
			path = DEFAULT_PATH;
		while (*path) {
			size_t len = strcspn(path, ":");

			snprintf(full, sizeof(full), "%.*s/%s", (int)len, path, argv[0]);
			execve(len ? full : argv[0], argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				error = errno;
			path += len + (path[len] == ':');
		}
	}
	if (error == ENOENT && !strchr(argv[0], '/'))
		complain(argv[0], "command not found");
	else
		complain(argv[0], strerror(error));
	_exit(error == ENOENT ? 127 : 126);
}

/* Turn a wait status into $? (128+N for signal N) and report a signal death like bash. */
static int status_of(int wstatus, bool report)
{
	int sig;

	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	sig = WTERMSIG(wstatus);
	if (report && sig != SIGINT && sig != SIGPIPE)
		fprintf(stderr, "%s%s\n", strsignal(sig),
			WCOREDUMP(wstatus) ? " (core dumped)" : "");
	return 128 + sig;
}

/* Remember a background job and announce it like bash: "[1] 42". */
static void add_job(pid_t pid, const char *text)
{
	int i, number = 1;

	for (i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].pid && jobs[i].number >= number)
			number = jobs[i].number + 1;
	}
	for (i = 0; i < JOBS_MAX && jobs[i].pid; i++)
		;
	if (i < JOBS_MAX) {
		jobs[i].pid = pid;
		jobs[i].number = number;
		snprintf(jobs[i].text, sizeof(jobs[i].text), "%s", text);
	}
	if (interactive)
		printf("[%d] %d\n", number, pid);
}

/* A background child ended: print "[1]+  Done    cmd" (interactive only) and forget it. */
static void job_finished(pid_t pid, int wstatus)
{
	char state[32];
	int i;

	for (i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].pid != pid)
			continue;
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
			snprintf(state, sizeof(state), "Done");
		else if (WIFEXITED(wstatus))
			snprintf(state, sizeof(state), "Exit %d", WEXITSTATUS(wstatus));
		else
			snprintf(state, sizeof(state), "%s", strsignal(WTERMSIG(wstatus)));
		if (interactive)
			printf("[%d]+  %-24s%s\n", jobs[i].number, state, jobs[i].text);
		jobs[i].pid = 0;
	}
}

/* Collect background children that have ended, without blocking. */
static void reap_jobs(void)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
		job_finished(pid, wstatus);
}

/* Start cmd in a child with stdin/stdout from in_fd/out_fd; returns its pid or -1. */
static pid_t start_command(struct command *cmd, int in_fd, int out_fd, int close_fd,
			   bool background)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		complain("fork", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	if (in_fd != 0) {
		dup2(in_fd, 0);
		close(in_fd);
	} else if (background && !cmd->in) {
		redirect(0, "/dev/null",
			 O_RDONLY); /* a job in the background must not read the terminal */
	}
	if (out_fd != 1) {
		dup2(out_fd, 1);
		close(out_fd);
	}
	if (close_fd >= 0)
		close(close_fd);
	if (apply_redirects(cmd) < 0)
		_exit(1);
	exec_command(cmd->argv);
	return -1;
}

/* Join the words of the pipeline into text for job messages. */
static void describe(const struct pipeline *pl, char *text, size_t size)
{
	size_t used = 0;
	int c, a;

	text[0] = '\0';
	for (c = 0; c < pl->count; c++) {
		for (a = 0; a < pl->cmds[c].argc && used < size; a++)
			used += (size_t)snprintf(text + used, size - used, "%s%s", used ? " " : "",
						 pl->cmds[c].argv[a]);
		if (c + 1 < pl->count && used < size)
			used += (size_t)snprintf(text + used, size - used, " |");
	}
}

/* Run every command of pl, connected by pipes; returns $? of the last one. */
static int run_pipeline(struct pipeline *pl)
{
	pid_t pids[CMDS_MAX];
	int i, wstatus, status = 0, in_fd = 0;
	char text[64];

	for (i = 0; i < pl->count; i++) {
		int fds[2] = {-1, 1};

		if (i + 1 < pl->count && pipe(fds) < 0) {
			complain("pipe", strerror(errno));
			return 1;
		}
		pids[i] = start_command(&pl->cmds[i], in_fd, fds[1], fds[0], pl->background);
		if (in_fd != 0)
			close(in_fd);
		if (fds[1] != 1)
			close(fds[1]);
		in_fd = fds[0] >= 0 ? fds[0] : 0;
	}
	if (pl->background) {
		describe(pl, text, sizeof(text));
		last_job = pids[pl->count - 1];
		add_job(last_job, text);
		return 0;
	}
	for (i = 0; i < pl->count; i++) {
		if (pids[i] > 0 && waitpid(pids[i], &wstatus, 0) == pids[i])
			status = status_of(wstatus, i == pl->count - 1);
		else if (pids[i] < 0)
			status = 1;
	}
	return status;
}

/* exit [N]: leave the shell with N (default: $?). */
static void builtin_exit(struct command *cmd)
{
	fflush(stdout);
	exit(cmd->argc > 1 ? atoi(cmd->argv[1]) & 0xff : last_status);
}

/* cd [DIR]: change directory (default $HOME, or /); returns $?. */
static int builtin_cd(struct command *cmd)
{
	const char *dir = cmd->argc > 1 ? cmd->argv[1] : getenv("HOME");

	if (!dir)
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

/* pwd: print the current directory. */
static int builtin_pwd(void)
{
	char buf[512];

	if (!getcwd(buf, sizeof(buf))) {
		complain("pwd", strerror(errno));
		return 1;
	}
	printf("%s\n", buf);
	return 0;
}

/* wait: wait for every background job to end; returns 0. */
static int builtin_wait(void)
{
	int wstatus;
	pid_t pid;

	fflush(stdout);
	while ((pid = wait(&wstatus)) > 0)
		job_finished(pid, wstatus);
	return 0;
}

/* export NAME=VALUE...: set environment variables for later commands; returns $?. */
static int builtin_export(struct command *cmd)
{
	int i, status = 0;

	for (i = 1; i < cmd->argc; i++) {
		char *eq = strchr(cmd->argv[i], '=');

		if (!eq)
			continue; /* every variable is exported already */
		*eq = '\0';
		if (setenv(cmd->argv[i], eq + 1, 1) < 0) {
			fprintf(stderr, "sh: export: %s: %s\n", cmd->argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}

/* unset NAME...: remove environment variables; returns $?. */
static int builtin_unset(struct command *cmd)
{
	int i;

	for (i = 1; i < cmd->argc; i++)
		unsetenv(cmd->argv[i]);
	return 0;
}

/* Run pl in the shell itself if it is a built-in; returns true if it was. */
static bool run_builtin(struct pipeline *pl)
{
	struct command *cmd = &pl->cmds[0];
	const char *name = cmd->argv[0];

	if (pl->count != 1 || pl->background)
		return false;
	if (strcmp(name, "exit") == 0)
		builtin_exit(cmd);
	else if (strcmp(name, "cd") == 0)
		last_status = builtin_cd(cmd);
	else if (strcmp(name, "pwd") == 0)
		last_status = builtin_pwd();
	else if (strcmp(name, "wait") == 0)
		last_status = builtin_wait();
	else if (strcmp(name, "export") == 0)
		last_status = builtin_export(cmd);
	else if (strcmp(name, "unset") == 0)
		last_status = builtin_unset(cmd);
	else
		return false;
	return true;
}

/* Run one line of input: every pipeline in it, in order. */
static void run_line(const char *line)
{
	static struct token tokens[WORDS_MAX];
	static char storage[LINE_MAX * 2];
	struct pipeline pl;
	int count, pos;

	while (*line) {
		count = tokenize(&line, tokens, storage, sizeof(storage));
		pos = 0;
		if (count < 0 || (count > 0 && parse_pipeline(tokens, count, &pos, &pl) < 0)) {
			last_status = 2;
			return;
		}
		if (count == 0)
			return;
		if (!run_builtin(&pl))
			last_status = run_pipeline(&pl);
		fflush(stdout);
	}
}

/* Show the prompt: "$ ", or "[N] $ " after a command that failed with status N. */
static void prompt(void)
{
	if (last_status)
		printf("[%d] $ ", last_status);
	else
		printf("$ ");
	fflush(stdout);
}

/* Read and run lines until end of input; returns the last status. */
static int run_input(void)
{
	char line[LINE_MAX];

	for (;;) {
		reap_jobs();
		if (interactive)
			prompt();
		if (read_line(line, sizeof(line)) < 0)
			break;
		run_line(line);
	}
	if (interactive)
		printf("exit\n");
	return last_status;
}

/* True if fd is a character device without a kernel line discipline (a raw console). */
static bool is_raw_console(int fd)
{
	const char *forced = getenv("SH_RAW");
	struct stat st;

	if (forced)
		return strcmp(forced, "1") == 0;
	if (isatty(fd))
		return false;
	if (fstat(fd, &st) < 0)
		return errno == ENOSYS; /* a young kernel without fstat: its console is raw */
	return S_ISCHR(st.st_mode);
}

int main(int argc, char **argv)
{
	int argi = 1;

	if (argi < argc && strcmp(argv[argi], "-i") == 0) {
		interactive = true;
		argi++;
	}
	if (argi + 1 < argc && strcmp(argv[argi], "-c") == 0) {
		run_line(argv[argi + 1]);
		return last_status;
	}
	if (argi < argc) {
		input_fd = open(argv[argi], O_RDONLY | O_CLOEXEC);
		if (input_fd < 0) {
			complain(argv[argi], strerror(errno));
			return 127;
		}
		return run_input();
	}
	raw_console = is_raw_console(0);
	interactive = interactive || raw_console || isatty(0);
	return run_input();
}
