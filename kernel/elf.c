/* The ELF loader: checks the header, creates one VMA per PT_LOAD segment
 * with the segment's permissions and leaves the rest (bss) zero. Static
 * executables only (no PT_INTERP).
 *
 * A program on a disk file system (it has a page cache: /mnt/bin/...) is
 * mapped, as Linux does: each segment's file pages are a MAP_PRIVATE file
 * mapping, faulted in on first touch from the page cache (a major fault
 * if they must be read), so reclaim can drop clean text pages and the
 * next touch reads them back (concept C9); a write to the data segment
 * copies the page. The bss is an anonymous mapping after the file pages,
 * and the part of the last file page past p_filesz is zeroed in a private
 * copy. A program from the initramfs (no page cache) is copied into
 * anonymous memory, populated at once, as are programs whose segments
 * are not page-congruent with the file or share a page. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "mm/gfp.h"
#include "mm/mmap.h"

#define EI_NIDENT   16
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC	    2
#define EM_X86_64   62
#define PT_LOAD	    1
#define PT_INTERP   3
#define PF_X	    1
#define PF_W	    2
#define PF_R	    4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

static bool header_ok(const struct elf64_ehdr *h)
{
	return h->e_ident[0] == 0x7f && h->e_ident[1] == 'E' && h->e_ident[2] == 'L' &&
	       h->e_ident[3] == 'F' && h->e_ident[4] == ELFCLASS64 &&
	       h->e_ident[5] == ELFDATA2LSB && h->e_type == ET_EXEC && h->e_machine == EM_X86_64 &&
	       h->e_phentsize == sizeof(struct elf64_phdr) && h->e_phnum > 0 &&
	       h->e_phnum <= ELF_MAX_PHNUM;
}

static unsigned long segment_prot(const struct elf64_phdr *ph)
{
	return (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
	       (ph->p_flags & PF_X ? PROT_EXEC : 0);
}

/* Copies the segment's file bytes into the new address space, a page of
 * the file at a time through a bounce page. */
static int copy_segment(struct file *f, struct mm_struct *mm, const struct elf64_phdr *ph)
{
	char *bounce = get_free_pages(GFP_KERNEL, 0);
	int err = 0;

	if (!bounce)
		return -ENOMEM;
	for (u64 done = 0; done < ph->p_filesz;) {
		size_t n = MIN(ph->p_filesz - done, PAGE_SIZE);

		if (vfs_pread(f, bounce, n, ph->p_offset + done) != (ssize_t)n ||
		    access_mm(mm, ph->p_vaddr + done, bounce, n, true) != n) {
			err = -ENOEXEC;
			break;
		}
		done += n;
	}
	free_pages(bounce, 0);
	return err;
}

static int load_segment(struct file *f, struct mm_struct *mm, const struct elf64_phdr *ph)
{
	unsigned long start = ph->p_vaddr & PAGE_MASK, end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
	struct vm_area_struct *prev = find_vma(mm, start);
	long addr;

	if (ph->p_filesz > ph->p_memsz || ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    end > TASK_SIZE || start < MMAP_MIN_ADDR)
		return -ENOEXEC;
	/* Two segments may share a page: the later one widens its rights. */
	if (prev && prev->vm_start <= start) {
		do_mprotect(mm, start, PAGE_SIZE, segment_prot(ph) | PROT_READ);
		start += PAGE_SIZE;
	}
	if (start < end) {
		addr = do_mmap(mm, start, end - start, segment_prot(ph),
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_POPULATE);
		if (addr < 0)
			return addr == -EEXIST ? -ENOEXEC : (int)addr;
	}
	return copy_segment(f, mm, ph);
}

/* May the program's segments be mapped from the page cache? Only a disk
 * file's, each PT_LOAD with p_offset and p_vaddr equal modulo the page
 * size, inside the file, on pages no other segment uses, and writable if
 * its bss starts inside a file page (that page's tail is zeroed). */
static bool can_map(const struct file *f, const struct elf64_phdr *ph, int n)
{
	unsigned long prev_end = 0;

	if (!f->inode->i_mapping)
		return false;
	for (int i = 0; i < n; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if ((p->p_offset ^ p->p_vaddr) & (PAGE_SIZE - 1) || p->p_filesz > p->p_memsz ||
		    p->p_offset + p->p_filesz < p->p_offset ||
		    p->p_offset + p->p_filesz > f->inode->size ||
		    p->p_vaddr + p->p_memsz < p->p_vaddr || (p->p_vaddr & PAGE_MASK) < prev_end)
			return false;
		if (p->p_memsz > p->p_filesz && ((p->p_vaddr + p->p_filesz) & (PAGE_SIZE - 1)) &&
		    !(p->p_flags & PF_W))
			return false;
		prev_end = PAGE_ALIGN(p->p_vaddr + p->p_memsz);
	}
	return true;
}

/* One segment as a private file mapping plus an anonymous bss. */
static int map_segment(struct file *f, struct mm_struct *mm, const struct elf64_phdr *ph)
{
	unsigned long start = ph->p_vaddr & PAGE_MASK, end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
	unsigned long file_end = PAGE_ALIGN(ph->p_vaddr + ph->p_filesz);
	unsigned long bss = ph->p_vaddr + ph->p_filesz;
	long addr;

	if (end > TASK_SIZE || start < MMAP_MIN_ADDR)
		return -ENOEXEC;
	if (file_end > start) {
		addr = do_mmap_file(mm, start, file_end - start, segment_prot(ph),
				    MAP_PRIVATE | MAP_FIXED_NOREPLACE, f,
				    (ph->p_offset - (ph->p_vaddr - start)) >> PAGE_SHIFT);
		if (addr < 0)
			return addr == -EEXIST ? -ENOEXEC : (int)addr;
	}
	if (ph->p_memsz > ph->p_filesz && (bss & (PAGE_SIZE - 1))) {
		/* The file page holding the start of the bss: a private copy
		 * (a write fault), its tail zeroed (Linux's padzero). */
		static const char zeros[256];
		int err = handle_mm_fault(mm, bss, X86_PF_WRITE | X86_PF_USER, NULL);

		for (unsigned long a = bss; !err && a < MIN(file_end, end); a += sizeof(zeros)) {
			size_t n = MIN(sizeof(zeros), MIN(file_end, end) - a);

			if (access_mm(mm, a, (void *)zeros, n, true) != n)
				err = -ENOEXEC;
		}
		if (err)
			return err == -ENOMEM ? -ENOMEM : -ENOEXEC;
	}
	if (end > file_end) {
		addr = do_mmap(mm, file_end, end - file_end, segment_prot(ph),
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
		if (addr < 0)
			return addr == -EEXIST ? -ENOEXEC : (int)addr;
	}
	return 0;
}

int elf_load(struct file *f, struct mm_struct *mm, struct elf_image *img)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph[ELF_MAX_PHNUM];
	size_t ph_size;
	bool mapped;
	int err;

	if (vfs_pread(f, &eh, sizeof(eh), 0) != sizeof(eh) || !header_ok(&eh))
		return -ENOEXEC;
	ph_size = eh.e_phnum * sizeof(ph[0]);
	if (vfs_pread(f, ph, ph_size, eh.e_phoff) != (ssize_t)ph_size)
		return -ENOEXEC;
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->phdr_addr = 0;
	img->brk = 0;
	img->start_code = img->start_data = ~0UL;
	img->end_code = img->end_data = 0;
	mapped = can_map(f, ph, eh.e_phnum);
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC; /* dynamically linked: no loader here */
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = mapped ? map_segment(f, mm, &ph[i]) : load_segment(f, mm, &ph[i]);
		if (err)
			return err;
		if (eh.e_phoff >= ph[i].p_offset && eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr_addr = ph[i].p_vaddr + (eh.e_phoff - ph[i].p_offset);
		if (ph[i].p_flags & PF_X) {
			img->start_code = MIN(img->start_code, ph[i].p_vaddr);
			img->end_code = MAX(img->end_code, ph[i].p_vaddr + ph[i].p_filesz);
		} else if (ph[i].p_flags & PF_W) {
			img->start_data = MIN(img->start_data, ph[i].p_vaddr);
			img->end_data = MAX(img->end_data, ph[i].p_vaddr + ph[i].p_filesz);
		}
		img->brk = MAX(img->brk, PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz));
	}
	return img->brk ? 0 : -ENOEXEC;
}
