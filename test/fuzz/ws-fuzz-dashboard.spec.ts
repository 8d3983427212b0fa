import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['dashboard']);
