; The instructions that touch user memory on the kernel's behalf. Each one
; that may fault is listed in the exception table (__ex_table): when a page
; fault there cannot be fixed, kernel/traps.c resumes at the fixup, which
; turns the fault into an error return instead of an oops.

bits 64
section .text

; size_t __copy_user(void *dst, const void *src, size_t n): returns the
; number of bytes NOT copied (0 on success).
global __copy_user
__copy_user:
	mov rcx, rdx
.copy:
	rep movsb
	xor eax, eax
	ret
.fault:
	mov rax, rcx
	ret

; size_t __clear_user(void *dst, size_t n): bytes not cleared.
global __clear_user
__clear_user:
	mov rcx, rsi
	xor eax, eax
.clear:
	rep stosb
	ret
.fault:
	mov rax, rcx
	ret

; long __strncpy_user(char *dst, const char *src, size_t max): length of
; the string (index of its NUL), max if there was no NUL, -14 (-EFAULT).
global __strncpy_user
__strncpy_user:
	xor eax, eax
.loop:
	cmp rax, rdx
	je .done
.load:
	mov cl, [rsi + rax]
	mov [rdi + rax], cl
	test cl, cl
	jz .done
	inc rax
	jmp .loop
.done:
	ret
.fault:
	mov rax, -14
	ret

section __ex_table
	dq __copy_user.copy, __copy_user.fault
	dq __clear_user.clear, __clear_user.fault
	dq __strncpy_user.load, __strncpy_user.fault
