import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['queue']);
