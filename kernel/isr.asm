; Interrupt and exception entry stubs. Each stub pushes a uniform frame
; (a dummy error code where the CPU pushes none, then the vector number) and
; jumps to a common path that saves the general registers as a struct pt_regs
; (kernel/traps.h) and calls handle_trap(regs).

bits 64
section .text
extern handle_trap

%macro ISR_NOERR 1
isr_%1:
	push qword 0
	push qword %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr_%1:
	push qword %1
	jmp isr_common
%endmacro

; Vectors with a CPU-pushed error code: 8 10 11 12 13 14 17 21 29 30.
%assign v 0
%rep 256
%if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v + 1
%endrep

isr_common:
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
	test qword [rsp + 18 * 8], 3   ; CS of the interrupted code: from user?
	jz .kernel_entry
	swapgs
.kernel_entry:
	cld
	mov rdi, rsp
	call handle_trap
global trap_return
trap_return:
	test qword [rsp + 18 * 8], 3
	jz .kernel_exit
	cli
	swapgs
.kernel_exit:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	pop r11
	pop r10
	pop r9
	pop r8
	pop rax
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	add rsp, 16                    ; vector and error code
	iretq

section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
	dq isr_ %+ v
%assign v v + 1
%endrep
