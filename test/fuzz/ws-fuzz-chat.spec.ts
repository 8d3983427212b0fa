import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['chat']);
