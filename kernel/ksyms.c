/* Address-to-name lookup for backtraces and %pS: binary search in the
 * sorted table that tools/gen-ksyms.py generates. */
#include "kernel/ksyms.h"
#include "mm/layout.h"

const char *ksym_lookup(unsigned long addr, unsigned long *offset)
{
	unsigned long lo = 0, hi = ksyms_count;

	if (addr < (unsigned long)_stext || addr >= (unsigned long)_etext || !ksyms_count)
		return NULL;
	while (hi - lo > 1) { /* invariant: ksyms[lo].addr <= addr, if any is */
		unsigned long mid = (lo + hi) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms[lo].addr > addr)
		return NULL;
	*offset = addr - ksyms[lo].addr;
	return ksyms[lo].name;
}
