import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['schedules']);
