/* For the SwiftPM build of cemail.c (Package.swift compiles it with -Dmain=CEMailClientMain, so the file
 * itself stays unchanged and the ce-mail-example product can run it in-process). */
#ifndef CEMAILCLIENT_H
#define CEMAILCLIENT_H

int CEMailClientMain(int argc, char **argv);

#endif
