; ksetjmp/klongjmp: non-local return inside the kernel. In-kernel tests use
; it to survive an exception they provoke on purpose (kernel/traps.c).
; Buffer layout: rbx rbp r12 r13 r14 r15 rsp rip rflags.

bits 64
section .text

global ksetjmp
ksetjmp:
	mov [rdi + 0 * 8], rbx
	mov [rdi + 1 * 8], rbp
	mov [rdi + 2 * 8], r12
	mov [rdi + 3 * 8], r13
	mov [rdi + 4 * 8], r14
	mov [rdi + 5 * 8], r15
	lea rdx, [rsp + 8]             ; the caller's RSP after our return
	mov [rdi + 6 * 8], rdx
	mov rdx, [rsp]                 ; return address
	mov [rdi + 7 * 8], rdx
	pushfq
	pop qword [rdi + 8 * 8]
	xor eax, eax
	ret

global klongjmp
klongjmp:
	mov eax, esi
	test eax, eax
	jnz .nonzero
	inc eax
.nonzero:
	mov rbx, [rdi + 0 * 8]
	mov rbp, [rdi + 1 * 8]
	mov r12, [rdi + 2 * 8]
	mov r13, [rdi + 3 * 8]
	mov r14, [rdi + 4 * 8]
	mov r15, [rdi + 5 * 8]
	mov rsp, [rdi + 6 * 8]
	push qword [rdi + 8 * 8]
	popfq
	jmp [rdi + 7 * 8]
