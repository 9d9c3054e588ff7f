; Multiboot2 entry: GRUB hands over in 32-bit protected mode with paging off.
; We check that the CPU can run a 64-bit kernel, build the early page tables,
; enable long mode and jump to the kernel's higher-half C entry, kmain().
;
; Early page tables (replaced by mm/init.c once the memory map is known):
;   PML4[0]   -> identity map of the first 4 GiB (so this code keeps running
;                after paging is switched on; GRUB puts the multiboot info
;                and modules below 4 GiB)
;   PML4[256] -> the same 4 GiB at the direct map base 0xffff800000000000
;   PML4[511] -> the first 2 GiB at 0xffffffff80000000 (the kernel image)
; all with 2 MiB pages (PS bit in the page-directory entries).

bits 32

MB2_MAGIC        equ 0xe85250d6        ; Multiboot2 spec, section 3.1.1
MB2_ARCH_I386    equ 0
MB2_BOOT_MAGIC   equ 0x36d76289        ; what GRUB leaves in EAX
KERNEL_VIRT_BASE equ 0xffffffff80000000

CR0_PE   equ 1 << 0
CR0_WP   equ 1 << 16                   ; supervisor writes honour read-only PTEs
CR0_PG   equ 1 << 31
CR4_PAE  equ 1 << 5
CR4_PGE  equ 1 << 7
MSR_EFER equ 0xc0000080
EFER_LME equ 1 << 8
EFER_NXE equ 1 << 11
PTE_P    equ 1 << 0
PTE_W    equ 1 << 1
PTE_PS   equ 1 << 7
CPUID_LM equ 1 << 29                   ; CPUID 0x80000001 EDX
CPUID_NX equ 1 << 20
COM1     equ 0x3f8

section .multiboot
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; end tag
	dw 0
	dw 0
	dd 8
mb2_header_end:

section .boot.text
global _start32
_start32:
	cli
	cld
	mov esp, boot32_stack_top
	mov edi, eax                   ; multiboot magic, kept for kmain
	mov esi, ebx                   ; physical address of the multiboot info

	cmp edi, MB2_BOOT_MAGIC
	jne .no_multiboot
	call check_long_mode
	call build_early_page_tables

	mov eax, early_pml4
	mov cr3, eax
	mov eax, cr4
	or eax, CR4_PAE | CR4_PGE
	mov cr4, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME | EFER_NXE
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP | CR0_PE
	mov cr0, eax

	lgdt [gdt64_pointer]
	jmp 0x08:long_mode_entry

.no_multiboot:
	mov esi, msg_no_multiboot
	jmp fatal32

; Halts with a message unless CPUID reports long mode and NX.
check_long_mode:
	pushfd                         ; CPUID exists if EFLAGS.ID (bit 21) can flip
	pop eax
	mov ecx, eax
	xor eax, 1 << 21
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	cmp eax, ecx
	je .no_lm
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_lm
	mov eax, 0x80000001
	cpuid
	test edx, CPUID_LM
	jz .no_lm
	test edx, CPUID_NX
	jz .no_nx
	ret
.no_lm:
	mov esi, msg_no_long_mode
	jmp fatal32
.no_nx:
	mov esi, msg_no_nx
	jmp fatal32

build_early_page_tables:
	push edi
	mov edi, early_tables_start    ; GRUB zeroes .bss-like segments, but be sure
	mov ecx, (early_tables_end - early_tables_start) / 4
	xor eax, eax
	rep stosd
	pop edi

	mov dword [early_pml4 + 0 * 8], early_pdpt_low + (PTE_P | PTE_W)
	mov dword [early_pml4 + 256 * 8], early_pdpt_low + (PTE_P | PTE_W)
	mov dword [early_pml4 + 511 * 8], early_pdpt_high + (PTE_P | PTE_W)
	mov eax, early_pd + (PTE_P | PTE_W)
	xor ecx, ecx
.pdpt_loop:                            ; four PDs, one per GiB
	mov [early_pdpt_low + ecx * 8], eax
	add eax, 4096
	inc ecx
	cmp ecx, 4
	jne .pdpt_loop
	mov dword [early_pdpt_high + 510 * 8], early_pd + (PTE_P | PTE_W)
	mov dword [early_pdpt_high + 511 * 8], early_pd + 4096 + (PTE_P | PTE_W)

	xor ecx, ecx                   ; 2048 PDEs of 2 MiB cover 4 GiB
.pd_loop:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov [early_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11                    ; bits 32+ of the physical address
	mov [early_pd + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jne .pd_loop
	ret

; Prints the NUL-terminated string at ESI on COM1 and the VGA screen, halts.
fatal32:
	mov edi, 0xb8000
.next:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4f                   ; white on red
	mov [edi], ax
	add edi, 2
	mov bl, al
	mov dx, COM1 + 5               ; line status: wait for THR empty
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	mov al, bl
	out dx, al
	jmp .next
.halt:
	hlt
	jmp .halt

section .boot.data
msg_no_multiboot: db "memos: not loaded by a Multiboot2 boot loader; halting", 13, 10, 0
msg_no_long_mode: db "memos: this CPU has no 64-bit long mode (CPUID 0x80000001 EDX.LM); halting", 13, 10, 0
msg_no_nx:        db "memos: this CPU has no NX bit (CPUID 0x80000001 EDX.NX); halting", 13, 10, 0

align 16
gdt64:
	dq 0
	dq 0x00af9a000000ffff          ; 0x08: 64-bit kernel code
	dq 0x00cf92000000ffff          ; 0x10: kernel data
gdt64_end:
gdt64_pointer:
	dw gdt64_end - gdt64 - 1
	dq gdt64

section .boot.bss nobits
align 4096
early_tables_start:
early_pml4:      resb 4096
early_pdpt_low:  resb 4096
early_pdpt_high: resb 4096
early_pd:        resb 4 * 4096
early_tables_end:
boot32_stack:    resb 1024
boot32_stack_top:

bits 64
section .boot.text
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, higher_half_entry
	jmp rax

section .text
extern kmain
higher_half_entry:
	mov rsp, boot_stack_top
	xor ebp, ebp                   ; ends the frame-pointer chain for backtraces
	mov edi, edi                   ; zero-extend magic and info address
	mov esi, esi
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
global boot_stack, boot_stack_top
boot_stack:     resb 16384
boot_stack_top:
