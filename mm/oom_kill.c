/* The OOM killer (concepts C7, C8): when reclaim cannot free memory for an
 * allocation, kill the process whose death frees the most, as Linux's
 * mm/oom_kill.c does. Its badness is its memory in pages (resident pages,
 * swap entries and page tables) plus oom_score_adj thousandths of all
 * memory (RAM + swap): -1000 protects a task, +1000 makes it first.
 * While a victim is still dying no second one is chosen; its anonymous
 * memory is freed at once (the work of Linux's OOM reaper), so the
 * allocation can retry even before the victim runs again.
 *
 * GDB: `break oom_badness`, then `print t->comm` and `finish`. */
#include "mm/oom_kill.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/mmap.h"
#include "mm/overcommit.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

int sysctl_panic_on_oom;
int sysctl_oom_kill_allocating_task;

static unsigned long oom_totalpages(void)
{
	return totalram_pages() + total_swap_pages;
}

static bool oom_unkillable(const struct task_struct *t)
{
	return t->pid <= 1 || (t->flags & PF_KTHREAD) || !t->mm || t->state == EXIT_ZOMBIE;
}

long oom_badness(struct task_struct *t, unsigned long totalpages)
{
	long points, adj;

	if (oom_unkillable(t) || t->oom_score_adj == OOM_SCORE_ADJ_MIN || (t->flags & PF_EXITING))
		return LONG_MIN;
	/* Linux's get_mm_rss(): file, anon and shmem pages. */
	points = (long)(t->mm->rss_file + t->mm->rss_anon + t->mm->rss_shmem + t->mm->swapents +
			t->mm->pgtables_pages);
	adj = (long)t->oom_score_adj * (long)(totalpages / 1000);
	return points + adj; /* may be negative: Linux dropped the floor of 1 in 5.9 */
}

/* /proc/PID/oom_score, as Linux's proc_oom_score: the badness scaled to
 * 0..2000 (1000 + points * 1000 / totalpages), then times 2/3. */
unsigned long oom_score(struct task_struct *t)
{
	unsigned long total = oom_totalpages();
	long points = oom_badness(t, total);

	if (points == LONG_MIN)
		return 0;
	return (unsigned long)((1000 + points * 1000 / (long)total) * 2 / 3);
}

/* The gfp mask with Linux's flag names, e.g. "0x9(GFP_KERNEL|__GFP_ZERO)"; a
 * user page table shows as "0x29(GFP_KERNEL_ACCOUNT|__GFP_ZERO)". */
static void format_gfp(gfp_t gfp, char *buf, size_t size)
{
	static const struct {
		gfp_t flag;
		const char *name;
	} names[] = {{__GFP_ZERO, "__GFP_ZERO"},
		     {__GFP_HIGH, "__GFP_HIGH"},
		     {__GFP_NOWARN, "__GFP_NOWARN"},
		     {__GFP_NORETRY, "__GFP_NORETRY"}};
	const char *base = !(gfp & __GFP_RECLAIM) ? "GFP_NOWAIT"
			   : gfp & __GFP_ACCOUNT  ? "GFP_KERNEL_ACCOUNT"
						  : "GFP_KERNEL";
	size_t len = (size_t)snprintf(buf, size, "%#x(%s", gfp, base);

	for (size_t i = 0; i < ARRAY_SIZE(names) && len < size; i++)
		if (gfp & names[i].flag)
			len += (size_t)snprintf(buf + len, size - len, "|%s", names[i].name);
	if (len < size)
		snprintf(buf + len, size - len, ")");
}

static void dump_tasks(void)
{
	struct task_struct *t;

	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj "
		"name\n");
	for_each_process(t)
	{
		if (oom_unkillable(t))
			continue;
		pr_info("[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n", t->pid, 0, t->pid,
			t->mm->total_vm, t->mm->rss_file + t->mm->rss_anon + t->mm->rss_shmem,
			t->mm->pgtables_pages * PAGE_SIZE, t->mm->swapents, t->oom_score_adj,
			t->comm);
	}
}

static void dump_header(gfp_t gfp, unsigned int order)
{
	char mask[96];

	format_gfp(gfp, mask, sizeof(mask));
	pr_warn("%s invoked oom-killer: gfp_mask=%s, order=%u, oom_score_adj=%d\n", current->comm,
		mask, order, current->oom_score_adj);
	pr_warn("Mem-Info: free:%lu pages, swap free:%lu of %lu pages\n", nr_free_pages(),
		nr_swap_pages, total_swap_pages);
	dump_tasks();
}

/* Frees the victim's private and shared anonymous pages now (Linux's
 * oom_reaper): its VMAs stay, so a fault before it dies still works. Safe
 * because the victim is not running: this kernel is not preemptible and
 * never sleeps inside mm code, so its address space is consistent. */
static void oom_reap(struct task_struct *victim)
{
	struct vm_area_struct *v;

	if (victim == current || !victim->mm)
		return;
	list_for_each_entry(v, &victim->mm->mmap, vm_list)
		zap_page_range(victim->mm, v->vm_start, v->vm_end);
}

static void oom_kill_process(struct task_struct *victim)
{
	struct mm_struct *mm = victim->mm;

	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:%lukB, UID:0 pgtables:%lukB oom_score_adj:%d\n",
	       victim->pid, victim->comm, mm->total_vm * 4, mm->rss_anon * 4, mm->rss_file * 4,
	       mm->rss_shmem * 4, mm->pgtables_pages * 4, victim->oom_score_adj);
	victim->oom_victim = true;
	send_signal(victim, SIGKILL);
	count_vm_events(OOM_KILL, 1);
	oom_reap(victim);
}

static bool victim_still_dying(void)
{
	struct task_struct *t;

	for_each_process(t) if (t->oom_victim && t->state != EXIT_ZOMBIE) return true;
	return false;
}

/* Linux's mempolicy_in_oom_domain: when an MPOL_BIND allocation runs out
 * (the OOM is constrained to its nodes), only tasks bound to some of
 * those nodes are candidates: killing others frees nothing it can use. */
static bool in_oom_domain(const struct task_struct *t, unsigned long nodemask)
{
	if ((nodemask & node_online_map()) == node_online_map())
		return true;
	return t->mempolicy.mode == MPOL_BIND && (t->mempolicy.nodes & nodemask);
}

bool out_of_memory(gfp_t gfp, unsigned int order, unsigned long nodemask)
{
	unsigned long total = oom_totalpages();
	struct task_struct *t, *victim = NULL;
	long best = LONG_MIN;

	if (victim_still_dying())
		return true; /* wait for it, then retry */
	if (sysctl_panic_on_oom)
		panic("Out of memory: system-wide panic_on_oom is enabled");
	dump_header(gfp, order);
	if (sysctl_oom_kill_allocating_task && !oom_unkillable(current) &&
	    current->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		oom_kill_process(current);
		return true;
	}
	for_each_process(t)
	{
		long points = in_oom_domain(t, nodemask) ? oom_badness(t, total) : LONG_MIN;

		if (points > best) {
			best = points;
			victim = t;
		}
	}
	if (!victim && (nodemask & node_online_map()) != node_online_map()) {
		pr_warn("Out of memory and no killable processes...\n");
		return false; /* constrained: the allocation fails, Linux's way */
	}
	if (!victim)
		panic("System is deadlocked on memory");
	oom_kill_process(victim);
	return true;
}
