; System call entry, task switch and the first steps of a new task.
;
; syscall (Intel SDM Vol. 2B): the CPU loads RIP from MSR_LSTAR, saves the
; user RIP in RCX and RFLAGS in R11, masks RFLAGS with MSR_FMASK (IF off),
; and does NOT switch stacks. We swapgs to reach the per-CPU area
; (kernel/percpu.h), park the user RSP there, load the task's kernel stack,
; and build the same struct pt_regs an interrupt builds, so that one return
; path (trap_return in isr.asm, ending in iretq) serves both.

bits 64
section .text
extern do_syscall
extern trap_return
extern schedule_tail
extern do_exit

PERCPU_USER_RSP   equ 0
PERCPU_KERNEL_RSP equ 8
USER_DS           equ 0x20 | 3
USER_CS           equ 0x28 | 3
SYSCALL_VECTOR    equ 0x80    ; marks a pt_regs built by syscall

global syscall_entry
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	push qword USER_DS             ; ss
	push qword [gs:PERCPU_USER_RSP] ; rsp
	push r11                       ; rflags
	push qword USER_CS             ; cs
	push rcx                       ; rip
	push rax                       ; error_code slot: the syscall number (orig_rax)
	push qword SYSCALL_VECTOR
	push rdi
	push rsi
	push rdx
	push rcx
	push rax
	push r8
	push r9
	push r10
	push r11
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	xor ebp, ebp                   ; the backtrace ends here
	sti
	mov rdi, rsp
	call do_syscall
	jmp trap_return

; void switch_to(u64 *prev_rsp, u64 next_rsp): saves the callee-saved
; registers on the current stack, switches stacks, restores the next
; task's. A new task's stack is prepared by kernel/sched.c to "return"
; into ret_from_fork with rbx = kernel-thread function (or 0), r12 = arg.
global switch_to
switch_to:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

global ret_from_fork
ret_from_fork:
	call schedule_tail
	test rbx, rbx
	jz .to_user
	sti
	mov rdi, r12
	call rbx                       ; a kernel thread: run fn(arg), then exit
	mov edi, eax
	call do_exit
.to_user:
	jmp trap_return                ; rsp points at the child's pt_regs

; void enter_user_mode(struct pt_regs *regs): leave the kernel for the user
; program described by regs (PID 1 after its first execve).
global enter_user_mode
enter_user_mode:
	mov rsp, rdi
	jmp trap_return
