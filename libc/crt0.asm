; crt0.asm: the first user instruction of every program (_start).
; Linux enters a static ELF with rsp pointing at argc, followed by argv[],
; NULL, envp[], NULL and the auxiliary vector (System V x86-64 ABI, 3.4.1).
; Registers other than rsp hold nothing useful (rdx may be an atexit
; function for dynamic programs; a static program ignores it).

bits 64
section .text
global _start
extern __libc_start_main

_start:
	xor ebp, ebp		; end of the frame-pointer chain for debuggers
	mov rdi, rsp		; __libc_start_main(long *sp)
	and rsp, -16		; the ABI wants 16-byte alignment at every call
	call __libc_start_main
	ud2			; not reached: __libc_start_main calls exit

section .note.GNU-stack noalloc noexec nowrite progbits
