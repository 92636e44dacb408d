#ifndef SUITES_H
#define SUITES_H

void suite_codec(void);
void suite_parser(void);
void suite_fuzz(void);
void suite_drive(void);
void suite_misc(void);
void suite_tx_queue(void);
void suite_behaviour(void);

#endif
